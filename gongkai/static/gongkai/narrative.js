/* The narrative editor of the staff report page. Without JavaScript each section is a textarea
   holding the stored markup, where a figure bound to a table cell is written {{cell:<cell key>}}.
   With it, the textarea is hidden and replaced by a contenteditable text in which every bound
   figure is a token: a non-editable element showing the cell's figure, with the cell and the
   figure as its title and accessible name. A picker inserts tokens; deleting one removes the
   binding. On submit the text is written back into the textarea as markup, and the server
   checks it (an unknown cell is refused with the text kept). */
(function () {
  "use strict";
  var TOKEN = /\{\{cell:([^{}]+)\}\}/g;
  var section = document.getElementById("narrative");
  var data = document.getElementById("narrative-figures");
  var template = document.getElementById("narrative-picker-template");
  if (!section || !data || !template || !window.getSelection || !("content" in template)) { return; }
  var figures = JSON.parse(data.textContent);
  var byKey = {};
  figures.forEach(function (figure) { byKey[figure.key] = figure; });
  var strings = section.dataset;

  function tokenNode(key) {
    var figure = byKey[key];
    var span = document.createElement("span");
    var description = figure ? figure.label + " = " + figure.value : strings.unknownCell.replace("{key}", key);
    span.className = figure ? "cell-token" : "cell-token unknown";
    span.setAttribute("contenteditable", "false");
    span.setAttribute("data-cell", key);
    span.setAttribute("role", "img");
    span.setAttribute("aria-roledescription", strings.tokenRole);
    span.setAttribute("aria-label", description);
    span.title = description;
    span.textContent = figure ? figure.value : "【?】";
    return span;
  }

  function appendText(fragment, text) {
    text.split("\n").forEach(function (line, i) {
      if (i > 0) { fragment.appendChild(document.createElement("br")); }
      if (line) { fragment.appendChild(document.createTextNode(line)); }
    });
  }

  // the stored markup as text, line breaks and tokens
  function fromMarkup(markup) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    var match;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(markup)) !== null) {
      appendText(fragment, markup.slice(last, match.index));
      fragment.appendChild(tokenNode(match[1]));
      last = TOKEN.lastIndex;
    }
    appendText(fragment, markup.slice(last));
    return fragment;
  }

  // the editor's content as the stored markup (what the browser may have added while editing:
  // <div>/<p> lines, <br>, spans, is read as text and line breaks)
  function toMarkup(node) {
    var out = "";
    Array.prototype.forEach.call(node.childNodes, function (child) {
      if (child.nodeType === Node.TEXT_NODE) {
        out += child.data;
      } else if (child.nodeType !== Node.ELEMENT_NODE) {
        return;
      } else if (child.hasAttribute("data-cell")) {
        out += "{{cell:" + child.getAttribute("data-cell") + "}}";
      } else if (child.tagName === "BR") {
        out += "\n";
      } else {
        if (/^(DIV|P|LI)$/.test(child.tagName) && out && out.slice(-1) !== "\n") { out += "\n"; }
        out += toMarkup(child);
      }
    });
    return out.replace(/\u00a0/g, " ");
  }

  function caretRange(editor, saved) {
    var selection = window.getSelection();
    if (selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      return selection.getRangeAt(0);
    }
    if (saved && editor.contains(saved.commonAncestorContainer)) { return saved; }
    var end = document.createRange();
    end.selectNodeContents(editor);
    end.collapse(false);
    return end;
  }

  function insertAt(range, node) {
    var last = node.nodeType === Node.DOCUMENT_FRAGMENT_NODE ? node.lastChild : node;
    range.deleteContents();
    range.insertNode(node);
    var after = document.createRange();
    if (last) { after.setStartAfter(last); } else { after.setStart(range.startContainer, range.startOffset); }
    after.collapse(true);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(after);
    return after;
  }

  function enhance(form, number) {
    var textarea = form.querySelector("textarea[name=text]");
    var label = form.querySelector("label[for='" + textarea.id + "']");
    var editor = document.createElement("div");
    var saved = null;
    editor.className = "narrative-editor";
    editor.id = textarea.id + "-editor";
    editor.setAttribute("contenteditable", "true");
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    editor.setAttribute("spellcheck", "false");
    if (label) { editor.setAttribute("aria-labelledby", label.id); }
    ["aria-describedby", "aria-invalid"].forEach(function (name) {
      if (textarea.hasAttribute(name)) { editor.setAttribute(name, textarea.getAttribute(name)); }
    });
    editor.appendChild(fromMarkup(textarea.value));
    textarea.hidden = true;
    textarea.parentNode.insertBefore(editor, textarea);
    if (label) {
      label.addEventListener("click", function (event) { event.preventDefault(); editor.focus(); });
    }

    function remember() {
      var selection = window.getSelection();
      if (selection.rangeCount && editor.contains(selection.getRangeAt(0).commonAncestorContainer)) {
        saved = selection.getRangeAt(0).cloneRange();
      }
    }
    // selectionchange comes later, as a task: a fast typist who tabs to the picker right
    // after a character would insert the figure before it. input and blur come at once.
    document.addEventListener("selectionchange", remember);
    editor.addEventListener("input", remember);
    editor.addEventListener("blur", remember);
    editor.addEventListener("keydown", function (event) {
      // a new line is a line break (not a <div>); never while an input method is composing
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        document.execCommand("insertLineBreak");
      }
    });
    editor.addEventListener("paste", function (event) {
      // plain text only; markup pasted in becomes tokens
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain") || "";
      saved = insertAt(caretRange(editor, saved), fromMarkup(text.replace(/\r\n?/g, "\n")));
    });
    editor.addEventListener("drop", function (event) { event.preventDefault(); });
    form.addEventListener("submit", function () { textarea.value = toMarkup(editor); });

    // the figure picker
    var tools = template.content.firstElementChild.cloneNode(true);
    var open = tools.querySelector("[data-picker-open]");
    var picker = tools.querySelector("[data-picker]");
    var search = tools.querySelector("[data-picker-search]");
    var list = tools.querySelector("[data-picker-list]");
    var count = tools.querySelector("[data-picker-count]");
    picker.id = "narrative-picker-" + number;
    open.setAttribute("aria-controls", picker.id);
    var submitRow = form.querySelector("button[type=submit]").parentNode;
    form.insertBefore(tools, submitRow);

    function filter() {
      var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      list.textContent = "";
      figures.forEach(function (figure) {
        var haystack = (figure.label + " " + figure.key + " " + figure.value).toLowerCase();
        if (words.every(function (word) { return haystack.indexOf(word) !== -1; })) {
          var option = document.createElement("option");
          option.value = figure.key;
          option.textContent = figure.label + " = " + figure.value;
          list.appendChild(option);
        }
      });
      if (list.options.length) { list.selectedIndex = 0; }
      count.textContent = strings.countText.replace("{n}", String(list.options.length));
    }

    function close(focusEditor) {
      picker.hidden = true;
      open.setAttribute("aria-expanded", "false");
      if (focusEditor) { editor.focus(); } else { open.focus(); }
    }

    function insert() {
      var key = list.value;
      if (!key) { return; }
      // where the caret was before the picker took the focus (focusing the editor may move it)
      var range = saved && editor.contains(saved.commonAncestorContainer) ? saved : caretRange(editor, null);
      picker.hidden = true;
      open.setAttribute("aria-expanded", "false");
      editor.focus();
      saved = insertAt(range, tokenNode(key));
    }

    open.addEventListener("click", function () {
      var opening = picker.hidden;
      picker.hidden = !opening;
      open.setAttribute("aria-expanded", String(opening));
      // the last search is kept, selected: typing replaces it
      if (opening) { filter(); search.focus(); search.select(); }
    });
    search.addEventListener("input", filter);
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); insert(); }
      else if (event.key === "ArrowDown") { event.preventDefault(); list.focus(); }
      else if (event.key === "Escape") { event.preventDefault(); close(true); }
    });
    list.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); insert(); }
      else if (event.key === "Escape") { event.preventDefault(); close(true); }
    });
    list.addEventListener("dblclick", insert);
    tools.querySelector("[data-picker-insert]").addEventListener("click", insert);
    tools.querySelector("[data-picker-close]").addEventListener("click", function () { close(false); });
  }

  Array.prototype.forEach.call(section.querySelectorAll("form[data-narrative]"), function (form, i) {
    enhance(form, i + 1);
  });
  var markupHint = section.querySelector("[data-narrative-markup-hint]");
  var tokenHint = section.querySelector("[data-narrative-token-hint]");
  if (markupHint && tokenHint) { markupHint.hidden = true; tokenHint.hidden = false; }
})();
