// The board's CSV forms without a named file field (accounts, cases): a CSV
// file chosen on the computer is read into the text field named by the file
// field's `data-text`, which the form then sends for the preview. The file
// is read as the server reads uploads: UTF-16 or UTF-8 by their byte order
// mark, UTF-8 when it is valid UTF-8, else Windows-1252 (Excel's "CSV" on a
// Swiss Windows), so that « Müller » stays « Müller ». A file field with a
// name is sent as it is (the server then says which encoding it read).
// Without this script the text can be pasted; nothing else depends on it.
(function () {
  'use strict';
  if (!window.FileReader) { return; }

  function decode(buffer) {
    var bytes = new Uint8Array(buffer);
    if (!window.TextDecoder) { return null; }
    if (bytes.length >= 2 && bytes[0] === 0xFF && bytes[1] === 0xFE) {
      return new TextDecoder('utf-16le').decode(bytes.subarray(2));
    }
    if (bytes.length >= 2 && bytes[0] === 0xFE && bytes[1] === 0xFF) {
      return new TextDecoder('utf-16be').decode(bytes.subarray(2));
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (notUtf8) {
      return new TextDecoder('windows-1252').decode(bytes);
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll('.file-field'), function (field) {
    var input = field.querySelector('input[type=file]');
    var text = document.getElementById(field.getAttribute('data-text'));
    if (!input || !text) { return; }
    field.hidden = false;
    if (input.name) { return; }
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        var decoded = decode(reader.result);
        if (decoded === null) { return; }
        text.value = decoded.replace(/^\uFEFF/, '');
        text.focus();
      };
      reader.readAsArrayBuffer(file);
    });
  });
}());

// The progress page's reminders: a button copies an examiner's message to
// the clipboard (the text stays selectable by hand without this script).
(function () {
  'use strict';
  if (!navigator.clipboard) { return; }
  Array.prototype.forEach.call(document.querySelectorAll('.copy-button'), function (button) {
    var text = document.getElementById(button.getAttribute('data-copy'));
    if (!text) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(text.value).then(function () {
        button.textContent = button.getAttribute('data-copied');
      }, function () {
        text.select();
      });
    });
  });
}());

// The identity page: "propose the canton's holidays" ticks, without a
// round trip, the holidays grille proposes for the chosen canton (each
// option carries them), and says so in the status line. Without this
// script the button posts the form, and the server shows the same
// proposal unsaved.
(function () {
  'use strict';
  var button = document.querySelector('[data-propose-holidays]');
  var select = document.getElementById('identity-canton');
  var status = document.getElementById('identity-holidays-status');
  if (!button || !select || !status) { return; }
  button.addEventListener('click', function (event) {
    event.preventDefault();
    var option = select.options[select.selectedIndex];
    if (!option || !option.value) {
      status.textContent = button.getAttribute('data-no-canton');
      select.focus();
      return;
    }
    var proposed = (option.getAttribute('data-holidays') || '').split(' ');
    Array.prototype.forEach.call(document.querySelectorAll('input[name=holiday]'), function (box) {
      box.checked = proposed.indexOf(box.value) !== -1;
    });
    status.textContent = button.getAttribute('data-proposed').replace('{canton}', option.value);
  });
}());
