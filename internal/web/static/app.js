// Small progressive enhancement; every page works without it.
(function () {
  // Ask before destructive or irreversible actions: <form data-confirm="…">.
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  // Import progress: <div data-job="/api/v1/imports/ID"> is refreshed until done.
  var box = document.querySelector('[data-job]');
  if (!box) return;
  var bar = box.querySelector('progress'), label = box.querySelector('[data-count]');
  function poll() {
    fetch(box.getAttribute('data-job'), {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (j) {
      if (bar && j.total) { bar.max = j.total; bar.value = j.done; }
      if (label) label.textContent = j.done + ' / ' + j.total;
      if (j.status === 'running') setTimeout(poll, 700); else window.location.reload();
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
