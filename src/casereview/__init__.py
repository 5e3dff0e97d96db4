"""casereview: the ASB Case Review (Community Trigger) and community-safety casework."""
