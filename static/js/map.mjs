// The search page's "Use my location" button and map of results. Progressive enhancement:
// without JavaScript the page is a plain form and list. Leaflet's files load only when the
// map opens (templates/directory/includes/results_map.html).

const DESKTOP = window.matchMedia("(min-width: 48.0625em)");

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

function loadStyle(href) {
  return new Promise((resolve) => {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = link.onerror = resolve;
    document.head.append(link);
  });
}

function useLocation(group) {
  if (!("geolocation" in navigator)) return;
  const form = group.closest("form");
  const button = group.querySelector("[data-cc-use-location-button]");
  const status = group.querySelector("[data-cc-use-location-status]");
  const postcode = form.elements.namedItem("postcode");
  group.hidden = false;
  // A postcode typed afterwards replaces the location.
  postcode?.addEventListener("input", () => {
    form.querySelectorAll("[data-cc-location]").forEach((input) => input.remove());
  });
  button.addEventListener("click", () => {
    status.textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        const { latitude, longitude } = position.coords;
        for (const [name, value] of [["lat", latitude], ["lng", longitude]]) {
          let input = form.querySelector(`[data-cc-location="${name}"]`);
          if (!input) {
            input = document.createElement("input");
            input.type = "hidden";
            input.name = name;
            input.dataset.ccLocation = name;
            form.append(input);
          }
          // About 100 m: enough to sort by distance, without sending where someone stands.
          input.value = value.toFixed(3);
        }
        if (postcode) postcode.value = "";
        status.textContent = "Searching near your location…";
        form.requestSubmit();
      },
      () => {
        status.textContent = "We could not find your location. Enter a postcode instead.";
      },
      { timeout: 15000, maximumAge: 600000 },
    );
  });
}

async function drawMap(box, container) {
  await Promise.all([
    loadStyle(box.dataset.leafletCss),
    loadStyle(box.dataset.clusterCss),
    loadScript(box.dataset.leaflet),
  ]);
  await loadScript(box.dataset.cluster);
  const L = window.L;
  const places = JSON.parse(document.getElementById(box.dataset.markers).textContent);
  const map = L.map(container, { scrollWheelZoom: false });
  map.attributionControl.setPrefix(false);
  L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    iconCreateFunction: (group) =>
      L.divIcon({
        html: `<span>${group.getChildCount()}</span>`,
        className: "cc-map-cluster",
        iconSize: L.point(40, 40),
      }),
  });
  for (const place of places) {
    const marker = L.marker([place.lat, place.lng], {
      title: place.name,
      alt: `${place.name}, ${place.place}`,
    });
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = place.url;
    link.textContent = place.name;
    const where = document.createElement("p");
    where.className = "govuk-body-s govuk-!-margin-bottom-0 govuk-!-margin-top-1";
    where.textContent = place.place;
    const popup = document.createElement("div");
    popup.append(link, where);
    marker.bindPopup(popup);
    marker.serviceUrl = place.url;
    cluster.addLayer(marker);
  }
  map.addLayer(cluster);
  map.fitBounds(cluster.getBounds(), { padding: [24, 24], maxZoom: 15 });
  // Cluster icons are focusable buttons: give each a name that says what it does.
  cluster.on("animationend", () => nameClusters(container));
  map.on("zoomend moveend", () => nameClusters(container));
  nameClusters(container);
  box.ccMap = { map, cluster };
}

function nameClusters(container) {
  for (const icon of container.querySelectorAll(".cc-map-cluster")) {
    icon.setAttribute("aria-label", `${icon.textContent} services here: zoom in`);
  }
}

function resultsMap(box) {
  const button = box.querySelector("[data-cc-map-toggle]");
  const container = box.querySelector(".cc-results-map__map");
  let drawn = null;
  const toggle = (open) => {
    container.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    button.textContent = open ? button.dataset.hide : button.dataset.show;
    if (open && !drawn) drawn = drawMap(box, container);
    else if (open) drawn.then(() => box.ccMap.map.invalidateSize());
  };
  box.hidden = false;
  button.addEventListener("click", () => toggle(container.hidden));
  // On a wide screen there is room beside the list; on a phone the list comes first.
  if (DESKTOP.matches) toggle(true);
}

document.querySelectorAll("[data-cc-use-location]").forEach(useLocation);
document.querySelectorAll("[data-cc-map]").forEach(resultsMap);
