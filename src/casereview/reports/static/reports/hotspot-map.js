// Progressive enhancement: draws the hotspots on a Leaflet map. The table is the primary view; with
// no JavaScript, no Leaflet or no tiles the page is still complete. Data comes from a json_script
// element (no inline script), tiles from the data-tiles attribute (CASEREVIEW_MAP_TILE_URL).
(function () {
  "use strict";
  var element = document.querySelector("[data-hotspot-map]");
  var data = document.getElementById("hotspot-points");
  if (!element || !data || typeof window.L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  if (!points.length) { return; }
  element.classList.remove("app-map--hidden");
  element.setAttribute("role", "region");
  element.setAttribute("aria-label", "Map of current hotspots (the same hotspots are listed in the table)");
  var map = window.L.map(element, { scrollWheelZoom: false });
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    window.L.tileLayer(tiles, { maxZoom: 19, attribution: "Map data © OpenStreetMap contributors" }).addTo(map);
  }
  var bounds = [];
  points.forEach(function (point) {
    var radius = Math.min(30, 6 + point.reports);
    var marker = window.L.circleMarker([point.lat, point.lon], {
      radius: radius, color: "#d4351c", weight: 2, fillOpacity: 0.4
    }).addTo(map);
    var label = document.createElement("span");
    label.textContent = point.location + ": " + point.reports + " reports";
    marker.bindPopup(label);
    marker.bindTooltip(point.location + " (" + point.reports + ")");
    bounds.push([point.lat, point.lon]);
  });
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 16 });
})();
