// The public tip form: find the registered enterprise while its name is typed. The form
// works without it (a name typed in full that is registered once is matched on sending).
(function () {
  var form = document.getElementById('tip-form');
  if (!form) return;
  var name = form.querySelector('[data-tip-enterprise]'), id = form.querySelector('[data-tip-enterprise-id]');
  var list = document.getElementById('tip-enterprises'), found = form.querySelector('[data-tip-found]');
  var address = form.querySelector('[data-tip-address]');
  var known = {}, timer = null;
  if (id.value) known[name.value] = id.value;
  function mark() {
    var hit = known[name.value];
    id.value = hit ? hit : '';
    found.hidden = !hit;
    address.hidden = !!hit;
  }
  name.addEventListener('input', function () {
    mark();
    clearTimeout(timer);
    var q = name.value.trim();
    if (q.length < 2) return;
    timer = setTimeout(function () {
      fetch('/api/v1/public/enterprises?q=' + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (j) {
        list.textContent = '';
        (j.items || []).forEach(function (e) {
          known[e.name] = e.id;
          var o = document.createElement('option');
          o.value = e.name;
          o.label = e.town;
          list.appendChild(o);
        });
        mark();
      }).catch(function () {});
    }, 250);
  });
  mark();
})();
