// The portal's few browser-side helpers, called through IJSRuntime.
window.ftlPortal = {
  // IANA zone name of the browser, e.g. "Europe/Berlin"; the pages show times in it.
  timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
};
