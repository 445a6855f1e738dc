// Small progressive enhancement; every page works without it.
(function () {
  // Ask before destructive or irreversible actions: <form data-confirm="…">.
  document.addEventListener('submit', function (e) {
    var msg = e.target.getAttribute('data-confirm');
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
  // File inputs speak the page's language: the browser's own button reads "Choose Files"
  // in the browser's language; a button of ours opens the same input and names the files.
  var zh = document.documentElement.lang !== 'en';
  Array.prototype.forEach.call(document.querySelectorAll('input[type=file]:not([hidden])'), function (inp) {
    var none = zh ? '未选择文件' : 'No file chosen';
    var btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'file-button';
    btn.textContent = zh ? (inp.multiple ? '选择文件(可多选)' : '选择文件') : (inp.multiple ? 'Choose files' : 'Choose a file');
    var name = document.createElement('span');
    name.className = 'file-name';
    name.textContent = none;
    btn.addEventListener('click', function () { inp.click(); });
    inp.addEventListener('change', function () {
      name.textContent = inp.files && inp.files.length ? Array.prototype.map.call(inp.files, function (f) { return f.name; }).join(zh ? '、' : ', ') : none;
    });
    inp.classList.add('file-native');
    var box = document.createElement('span');
    box.className = 'file-pick';
    inp.parentNode.insertBefore(box, inp.nextSibling);
    box.appendChild(btn);
    box.appendChild(name);
  });
  // Enterprise pickers: <span data-entpick="/api/v1/enterprises/pick"> fills its list as
  // the official types; without this, its box is a GET form (?q=) the page answers.
  Array.prototype.forEach.call(document.querySelectorAll('[data-entpick]'), function (pk) {
    var q = pk.querySelector('[data-entpick-q]'), sel = pk.querySelector('[data-entpick-list]'), more = pk.querySelector('[data-entpick-more]');
    if (!q || !sel) return;
    var timer, asked = 0;
    function search() {
      var n = ++asked;
      fetch(pk.getAttribute('data-entpick') + '?q=' + encodeURIComponent(q.value), {credentials: 'same-origin'}).then(function (r) { return r.json(); }).then(function (j) {
        if (n !== asked || !j.items) return;
        var keep = sel.value;
        while (sel.options.length > 1) sel.remove(1);
        j.items.forEach(function (e) { sel.add(new Option(e.name + ' · ' + e.uscc, e.id, false, String(e.id) === keep)); });
        if (j.items.length === 1 && !sel.options[0].value) sel.selectedIndex = 1;
        if (more) more.hidden = !j.more;
      }).catch(function () {});
    }
    q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(search, 250); });
    q.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); clearTimeout(timer); search(); } });
  });
  // The navigation's menus (<details class="menu">): one open at a time, closed by a click
  // elsewhere or Escape.
  var menus = document.querySelectorAll('.nav details.menu');
  function closeMenus(except) {
    Array.prototype.forEach.call(menus, function (m) { if (m !== except) m.open = false; });
  }
  Array.prototype.forEach.call(menus, function (m) {
    m.querySelector('summary').addEventListener('click', function () { closeMenus(m); });
  });
  document.addEventListener('click', function (e) {
    if (!e.target.closest || !e.target.closest('.nav details.menu')) closeMenus(null);
  });
  document.addEventListener('keydown', function (e) { if (e.key === 'Escape') closeMenus(null); });
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
