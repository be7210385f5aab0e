// The board's enrolment form: a CSV file chosen on the computer is read
// into the text field, which the form then sends for the preview. Without
// this script the text can be pasted; nothing else depends on it.
(function () {
  'use strict';
  var field = document.querySelector('.file-field');
  var input = document.getElementById('csv-file');
  var text = document.getElementById('csv-text');
  if (!field || !input || !text || !window.FileReader) { return; }
  field.hidden = false;
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
}());
