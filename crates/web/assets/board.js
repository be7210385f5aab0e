// The board's CSV forms (enrolment, assignments): a CSV file chosen on the
// computer is read into the text field named by the file field's
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
