from django import template

register = template.Library()


@register.filter
def split(value: str, separator: str = ",") -> list[str]:
    """ "a,b" -> ["a", "b"]: lets a template pass a list to a component."""
    return [item for item in (value or "").split(separator) if item]


@register.filter
def contains(values, value) -> bool:
    """Whether a field's value (a string or a list of strings) holds `value`, exactly."""
    if values is None:
        return False
    if isinstance(values, str):
        return values == str(value)
    return str(value) in [str(v) for v in values]
