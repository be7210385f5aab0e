// The board's CSV forms without a named file field (accounts, cases): a CSV
// file chosen on the computer is read into the text field named by the file field's
// `data-text`, which the form then sends for the preview. Without this
// script the text can be pasted; nothing else depends on it.
(function () {
  'use strict';
  if (!window.FileReader) { return; }
  Array.prototype.forEach.call(document.querySelectorAll('.file-field'), function (field) {
    var input = field.querySelector('input[type=file]');
    var text = document.getElementById(field.getAttribute('data-text'));
    if (!input || !text) { return; }
    field.hidden = false;
    // A file field with a name is sent as it is: the server reads the
    // encoding Excel wrote (UTF-8 or Windows-1252), which a browser
    // reading it as UTF-8 would spoil.
    if (input.name) { return; }
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      var reader = new FileReader();
      reader.onload = function () {
        text.value = String(reader.result).replace(/^\uFEFF/, '');
        text.focus();
      };
      reader.readAsText(file, 'utf-8');
    });
  });
}());
