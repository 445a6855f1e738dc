// Scan a pass's QR code with the camera (gate and checkpoint pages). A button with
// data-qr-target="#field" fills that field with the code's text and submits its form
// (or moves to the first empty required field). With the browser's BarcodeDetector the
// camera's live picture is read on the device; otherwise, when data-qr-upload names the
// decoding endpoint, a photo is taken and read by the server. Typing or pasting the
// token keeps working without any of it.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-qr-target]');
  if (!buttons.length) return;
  var canLive = 'BarcodeDetector' in window && !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);

  function $(sel) { return sel ? document.querySelector(sel) : null; }

  Array.prototype.forEach.call(buttons, function (btn) {
    var target = $(btn.getAttribute('data-qr-target'));
    var upload = btn.getAttribute('data-qr-upload');
    var video = $(btn.getAttribute('data-qr-video'));
    var file = $(btn.getAttribute('data-qr-file'));
    var status = $(btn.getAttribute('data-qr-status'));
    if (!target || !(canLive && video) && !(upload && file)) return; // nothing to offer: type or paste
    var label = btn.textContent;
    var stream = null, timer = null, liveFailed = false;

    function say(msg) { if (status) status.textContent = msg || ''; }
    function msg(name) { return btn.getAttribute('data-msg-' + name) || ''; }

    function done(text) {
      stop();
      target.value = text;
      say('');
      var form = target.form;
      if (!form) return;
      var empty = form.querySelector('input[required]:invalid, select[required]:invalid');
      if (empty) { empty.focus(); return; }
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }

    function stop() {
      if (timer) { clearTimeout(timer); timer = null; }
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
      if (video) { video.hidden = true; video.srcObject = null; }
      btn.textContent = label;
    }

    function live() {
      var detector;
      return BarcodeDetector.getSupportedFormats().then(function (formats) {
        if (formats.indexOf('qr_code') < 0) throw new Error('no qr_code');
        detector = new BarcodeDetector({formats: ['qr_code']});
        return navigator.mediaDevices.getUserMedia({video: {facingMode: 'environment'}, audio: false});
      }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.style.maxWidth = '100%';
        video.style.height = 'auto';
        video.hidden = false;
        btn.textContent = msg('stop');
        say(msg('look'));
        return video.play();
      }).then(function () {
        (function look() {
          if (!stream) return;
          detector.detect(video).then(function (codes) {
            var hit = codes.filter(function (c) { return c.rawValue; })[0];
            if (hit) done(hit.rawValue); else timer = setTimeout(look, 150);
          }, function () { timer = setTimeout(look, 300); });
        })();
      });
    }

    // shrink makes a phone photo small enough to upload quickly; it keeps the file when
    // the browser cannot (no createImageBitmap).
    function shrink(f) {
      if (!window.createImageBitmap || !window.HTMLCanvasElement) return Promise.resolve(f);
      return createImageBitmap(f).then(function (bmp) {
        var k = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
        if (k === 1 && f.size < 2 * 1024 * 1024) return f;
        var c = document.createElement('canvas');
        c.width = Math.round(bmp.width * k);
        c.height = Math.round(bmp.height * k);
        c.getContext('2d').drawImage(bmp, 0, 0, c.width, c.height);
        return new Promise(function (ok) { c.toBlob(function (b) { ok(b || f); }, 'image/jpeg', 0.9); });
      }, function () { return f; });
    }

    function photo() {
      if (!upload || !file) { say(msg('fail')); return; }
      file.value = '';
      file.click();
    }

    if (file) {
      file.addEventListener('change', function () {
        var f = file.files && file.files[0];
        if (!f) return;
        say(msg('reading'));
        btn.disabled = true;
        shrink(f).then(function (blob) {
          var fd = new FormData();
          fd.append('file', blob, 'pass.jpg');
          return fetch(upload, {method: 'POST', body: fd, credentials: 'same-origin', headers: {Accept: 'application/json'}});
        }).then(function (r) {
          return r.json().then(function (j) { return {ok: r.ok, j: j}; });
        }).then(function (res) {
          if (res.ok && res.j.token) { done(res.j.token); return; }
          var e = res.j && res.j.error;
          if (e && e.problems && e.problems.length) e = e.problems[0];
          say(e ? (document.documentElement.lang === 'en' ? e.message_en : e.message) : msg('fail'));
        }).catch(function () { say(msg('fail')); }).then(function () { btn.disabled = false; });
      });
    }

    btn.hidden = false;
    btn.addEventListener('click', function () {
      if (stream) { stop(); say(''); return; }
      if (canLive && video && !liveFailed) {
        live().catch(function () { liveFailed = true; stop(); photo(); }); // no camera, refused or no QR support
      } else {
        photo();
      }
    });
    window.addEventListener('pagehide', stop);
  });
})();
