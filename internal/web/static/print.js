// The print button of printable documents (notice, acceptance form); Ctrl+P works too.
(function () {
  var b = document.getElementById('print');
  if (b) b.addEventListener('click', function () { window.print(); });
})();
