/* Display preferences without a reload. Without JavaScript the same buttons submit a GET form
   to /prefs/, which sets the same cookies and comes back; the server renders the classes. */
(function () {
  "use strict";
  var STEPS = 5, DEFAULT_FONT = 1, MAX_AGE = 365 * 24 * 3600;
  var form = document.querySelector("form[data-prefs]");
  if (!form) { return; }
  var root = document.documentElement;

  function setCookie(name, value) {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + value + "; Max-Age=" + MAX_AGE + "; Path=/; SameSite=Lax" + secure;
  }

  function apply(font, contrast) {
    for (var i = 0; i < STEPS; i++) { root.classList.remove("fs-" + i); }
    root.classList.add("fs-" + font);
    root.classList.toggle("contrast-high", contrast);
    root.setAttribute("data-font", String(font));
    root.setAttribute("data-contrast", contrast ? "1" : "0");
    form.querySelector('button[value="smaller"]').setAttribute("aria-disabled", String(font === 0));
    form.querySelector('button[value="larger"]').setAttribute("aria-disabled", String(font === STEPS - 1));
    form.querySelector('button[name="contrast"]').setAttribute("aria-pressed", String(contrast));
    setCookie("gk_font", font);
    setCookie("gk_contrast", contrast ? "1" : "0");
  }

  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button) { return; }  // an old browser: let the form do it
    event.preventDefault();
    var font = parseInt(root.getAttribute("data-font"), 10);
    if (isNaN(font)) { font = DEFAULT_FONT; }
    var contrast = root.getAttribute("data-contrast") === "1";
    if (button.name === "font") {
      if (button.value === "smaller") { font = Math.max(0, font - 1); }
      else if (button.value === "larger") { font = Math.min(STEPS - 1, font + 1); }
      else { font = DEFAULT_FONT; }
    } else if (button.name === "contrast") {
      contrast = !contrast;
    }
    apply(font, contrast);
  });
})();

/* The receipt's print button (applications/public/submitted.html): hidden without JavaScript,
   where the browser's own print command does the same with the same print stylesheet. */
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
