/* SIBARU map point on the complaint form (complaints/form.html). Without this script, or without MAP_TILE_URL,
 * the latitude and longitude fields are the whole control. With it, a Leaflet map:
 *  - a click or tap sets the point and fills the two fields (rounded to the form's 5 decimals);
 *  - keyboard (WCAG 2.5.7, no dragging needed): arrow keys pan the map under a centre crosshair, + and −
 *    zoom, Enter or Space sets the point at the crosshair;
 *  - typing in the fields moves the marker;
 *  - "Gunakan lokasi saya" (navigator.geolocation) where the browser offers it.
 * All text comes from data-msg-* attributes the template translates. No inline script or style (strict CSP). */
(function () {
  "use strict";

  // The form's bounds for Indonesia (complaints/forms.py) and a view of the whole archipelago.
  var BOUNDS = { minLat: -11, maxLat: 6, minLng: 95, maxLng: 141 };
  var INDONESIA = { center: [-2.5, 118], zoom: 4 };
  var POINT_ZOOM = 15;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) {
      return values[key] === undefined ? "" : String(values[key]);
    });
  }

  function escapeHtml(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span.innerHTML;
  }

  function inside(lat, lng) {
    return lat >= BOUNDS.minLat && lat <= BOUNDS.maxLat && lng >= BOUNDS.minLng && lng <= BOUNDS.maxLng;
  }

  function MapPoint(root) {
    this.root = root;
    this.lat = document.getElementById(root.getAttribute("data-latitude"));
    this.lng = document.getElementById(root.getAttribute("data-longitude"));
    this.status = root.querySelector("[data-map-point-status]");
    this.locate = root.querySelector("[data-map-point-locate]");
    this.container = root.querySelector("[data-map-point-map]");
    this.marker = null;
    this.start();
  }

  MapPoint.prototype.msg = function (name, values) {
    return format(this.root.getAttribute("data-msg-" + name) || "", values || {});
  };

  MapPoint.prototype.fieldPoint = function () {
    var lat = parseFloat(this.lat.value.replace(",", "."));
    var lng = parseFloat(this.lng.value.replace(",", "."));
    return isNaN(lat) || isNaN(lng) || !inside(lat, lng) ? null : L.latLng(lat, lng);
  };

  MapPoint.prototype.start = function () {
    var self = this;
    this.root.hidden = false;  // shown before Leaflet measures the container
    var known = this.fieldPoint();
    this.map = L.map(this.container, {
      center: known || INDONESIA.center,
      zoom: known ? POINT_ZOOM : INDONESIA.zoom,
      minZoom: 3,
      zoomControl: false,
    });
    L.control.zoom({ zoomInTitle: this.msg("zoom-in"), zoomOutTitle: this.msg("zoom-out") }).addTo(this.map);
    L.tileLayer(this.root.getAttribute("data-tile-url"), {
      // Plain text from the settings: escaped, since Leaflet writes the attribution as HTML.
      attribution: escapeHtml(this.root.getAttribute("data-attribution") || ""),
      maxZoom: 19,
    }).addTo(this.map);
    if (known) this.place(known);

    this.map.on("click", function (event) { self.choose(event.latlng, "set"); });
    this.container.addEventListener("keydown", function (event) {
      // Only the map itself: Enter on a zoom button or attribution link keeps its own meaning.
      if (event.target !== self.container || (event.key !== "Enter" && event.key !== " ")) return;
      event.preventDefault();
      self.choose(self.map.getCenter(), "set");
    });
    [this.lat, this.lng].forEach(function (field) {
      field.addEventListener("input", function () {
        var point = self.fieldPoint();
        if (point) {
          self.place(point);
          self.map.setView(point, Math.max(self.map.getZoom(), POINT_ZOOM));
        }
      });
    });
    if ("geolocation" in navigator && window.isSecureContext) {
      this.locate.hidden = false;
      this.locate.addEventListener("click", function () { self.findMe(); });
    }
  };

  MapPoint.prototype.place = function (latlng) {
    if (this.marker) {
      this.marker.setLatLng(latlng);
    } else {
      // Not focusable and without alt text: the fields and the status line carry the point.
      this.marker = L.marker(latlng, { keyboard: false, interactive: false, alt: "" }).addTo(this.map);
    }
  };

  MapPoint.prototype.choose = function (latlng, message) {
    var lat = latlng.lat.toFixed(5);
    var lng = L.Util.wrapNum(latlng.lng, [-180, 180], true).toFixed(5);
    if (!inside(+lat, +lng)) {
      this.status.textContent = this.msg("outside");
      return;
    }
    this.lat.value = lat;
    this.lng.value = lng;
    this.place(L.latLng(+lat, +lng));
    this.status.textContent = this.msg(message, { lat: lat, lng: lng });
  };

  MapPoint.prototype.findMe = function () {
    var self = this;
    this.status.textContent = this.msg("locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      var point = L.latLng(position.coords.latitude, position.coords.longitude);
      self.choose(point, "located");
      if (inside(point.lat, point.lng)) self.map.setView(point, POINT_ZOOM);
    }, function () {
      self.status.textContent = self.msg("locate-failed");
    }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
  };

  if (!window.L) return;
  Array.prototype.forEach.call(document.querySelectorAll("[data-map-point]"), function (root) {
    new MapPoint(root);
  });
})();
