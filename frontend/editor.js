/* The item editor (bundled by esbuild into gongkai/static/gongkai/editor.js: `make editor`).

   Without JavaScript the body is a textarea of simple HTML, and the server sanitises whatever
   it receives. With it, the textarea is hidden and a TipTap (ProseMirror) editor takes its
   place, limited to what the server keeps: paragraphs, headings 2-4, bold, italic, underline,
   lists, quotations, tables and links. Its HTML is written back into the textarea as it
   changes, so saving, importing and uploading post it as the form always did. A paste from
   Word or WPS is reduced first (conditional comments, <o:p>, list markers; lists made real);
   the editor's schema drops every style, class and font that is left.

   Beside it, the checks as you type: the title, summary and body are posted (debounced, with
   the CSRF token) to the findings endpoint, whose answer is listed in #live-findings. */
import { Editor } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { Table, TableKit } from "@tiptap/extension-table";

// A table as the body keeps it: no width styles and no <colgroup>, which the server would drop
// and the page's CSP refuses as inline styles.
const PlainTable = Table.extend({
  renderHTML({ HTMLAttributes }) {
    const { style, ...attributes } = HTMLAttributes; // eslint-disable-line no-unused-vars
    return ["table", attributes, ["tbody", 0]];
  },
});

const STRINGS = (() => {
  const node = document.getElementById("editor-strings");
  return node ? JSON.parse(node.textContent) : {};
})();

// --- Word / WPS paste -------------------------------------------------------------------

const ORDERED_MARKER = /^[(（]?[0-9０-９一二三四五六七八九十百a-zA-Z]+[.．)）、]/;

export function cleanPastedHtml(html) {
  const office = /mso-|<o:p|urn:schemas-microsoft-com|<!\[if/i.test(html);
  if (office) html = html.replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, "");
  // The page's CSP refuses inline styles, also where HTML is only parsed: style sheets go and
  // style attributes are renamed before parsing (the body keeps none of them anyway).
  html = html
    .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
    .replace(/(<[a-z][^<>]*?\s)style(\s*=)/gi, "$1data-style$2");
  const doc = new DOMParser().parseFromString(html, "text/html");
  if (office) cleanOfficeDocument(doc);
  doc.querySelectorAll("style, script, link, meta, title, xml").forEach((node) => node.remove());
  doc.querySelectorAll("[data-style], [class]").forEach((node) => {
    node.removeAttribute("data-style");
    node.removeAttribute("class");
  });
  let out = doc.body.innerHTML;
  if (office) out = out.replace(/<!\[(?:if[^\]]*|endif)\]>/gi, "").replace(/<\/?o:p\s*>/gi, "");
  return out;
}

function cleanOfficeDocument(doc) {
  // lists: consecutive paragraphs styled mso-list, their marker in a supportLists block
  const paragraphs = Array.from(doc.querySelectorAll("p[data-style*='mso-list']"));
  let list = null;
  let last = null;
  paragraphs.forEach((p) => {
    const markerNode = p.querySelector("span[data-style*='mso-list:Ignore'], span[data-style*='mso-list: Ignore']");
    const marker = markerNode ? markerNode.textContent.trim() : "";
    if (markerNode) markerNode.remove();
    let previous = p.previousSibling;
    while (previous && previous.nodeType === Node.TEXT_NODE && !previous.textContent.trim()) {
      previous = previous.previousSibling;
    }
    if (!list || previous !== last) {
      list = doc.createElement(ORDERED_MARKER.test(marker) ? "ol" : "ul");
      p.parentNode.insertBefore(list, p);
    }
    const li = doc.createElement("li");
    while (p.firstChild) li.appendChild(p.firstChild);
    list.appendChild(li);
    p.remove();
    last = list;
  });
  // the body's headings are h2-h4 (h1 is the page's title)
  doc.querySelectorAll("h1, h5, h6").forEach((heading) => {
    const renamed = doc.createElement(heading.tagName === "H1" ? "h2" : "h4");
    while (heading.firstChild) renamed.appendChild(heading.firstChild);
    heading.replaceWith(renamed);
  });
}

// --- the editor -------------------------------------------------------------------------

const BUTTONS = [
  ["bold", "B", (c) => c.toggleBold(), "bold"],
  ["italic", "I", (c) => c.toggleItalic(), "italic"],
  ["underline", "U", (c) => c.toggleUnderline(), "underline"],
  ["h2", "H2", (c) => c.toggleHeading({ level: 2 }), ["heading", { level: 2 }]],
  ["h3", "H3", (c) => c.toggleHeading({ level: 3 }), ["heading", { level: 3 }]],
  ["bulletList", "•", (c) => c.toggleBulletList(), "bulletList"],
  ["orderedList", "1.", (c) => c.toggleOrderedList(), "orderedList"],
  ["blockquote", "❝", (c) => c.toggleBlockquote(), "blockquote"],
  ["table", "▦", (c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }), null],
  ["addRow", "+行", (c) => c.addRowAfter(), null, "table"],
  ["addColumn", "+列", (c) => c.addColumnAfter(), null, "table"],
  // the row and the column the cursor is in (a table's last row or column: the table goes)
  ["deleteRow", "−行", (c) => c.deleteRow(), null, "table"],
  ["deleteColumn", "−列", (c) => c.deleteColumn(), null, "table"],
  ["deleteTable", "✕▦", (c) => c.deleteTable(), null, "table"],
  ["link", "🔗", null, "link"],
  ["undo", "↶", (c) => c.undo(), null],
  ["redo", "↷", (c) => c.redo(), null],
];

function mountEditor(textarea) {
  const wrapper = document.createElement("div");
  wrapper.className = "rich-editor";
  const toolbar = document.createElement("div");
  toolbar.className = "rich-toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", STRINGS.toolbar || "Formatting");
  toolbar.setAttribute("aria-controls", textarea.id + "-rich");
  const area = document.createElement("div");
  area.className = "rich-area";
  wrapper.append(toolbar, area);
  textarea.insertAdjacentElement("afterend", wrapper);
  textarea.hidden = true;

  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) label.id = textarea.id + "-label";
  const hint = textarea.parentNode.querySelector("small.hint");
  if (hint && !hint.id) hint.id = textarea.id + "-hint";

  const editor = new Editor({
    element: area,
    injectCSS: false, // the CSP allows no inline styles: editor.css has what it needs
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        code: false,
        codeBlock: false,
        strike: false,
        horizontalRule: false,
        link: { openOnClick: false, autolink: true, HTMLAttributes: { target: null, rel: null } },
      }),
      TableKit.configure({ table: false }),
      PlainTable.configure({ resizable: false }),
    ],
    content: textarea.value,
    editorProps: {
      attributes: {
        id: textarea.id + "-rich",
        role: "textbox",
        "aria-multiline": "true",
        ...(label ? { "aria-labelledby": label.id } : {}),
        ...(hint ? { "aria-describedby": hint.id } : {}),
        class: "rich-content",
      },
      transformPastedHTML: cleanPastedHtml,
    },
  });

  const buttons = BUTTONS.map(([key, text, run, active, needs]) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "rich-button";
    button.textContent = text;
    button.title = STRINGS[key] || key;
    button.setAttribute("aria-label", STRINGS[key] || key);
    button.dataset.command = key;
    if (active) button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", () => {
      if (key === "link") {
        const previous = editor.getAttributes("link").href || "";
        const href = window.prompt(STRINGS.linkPrompt || "URL", previous);
        if (href === null) return;
        const chain = editor.chain().focus().extendMarkRange("link");
        if (href.trim()) chain.setLink({ href: href.trim() }).run();
        else chain.unsetLink().run();
        return;
      }
      run(editor.chain().focus()).run();
    });
    toolbar.appendChild(button);
    return { button, key, active, needs };
  });

  function refresh() {
    buttons.forEach(({ button, active, needs }) => {
      if (active) {
        const on = Array.isArray(active) ? editor.isActive(...active) : editor.isActive(active);
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
      if (needs) button.hidden = !editor.isActive(needs);
    });
  }

  function sync() {
    textarea.value = editor.isEmpty ? "" : editor.getHTML();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  editor.on("update", sync);
  // every transaction: a toggled mark with nothing selected changes neither text nor selection
  editor.on("transaction", refresh);
  refresh();
  // every submit (save, import, upload) posts what the editor holds
  textarea.form.addEventListener("submit", () => {
    textarea.value = editor.isEmpty ? "" : editor.getHTML();
  });
  // a label click focuses the editor, as it would the textarea
  if (label) label.addEventListener("click", () => editor.commands.focus());
  return editor;
}

// --- checks as you type ---------------------------------------------------------------------

function mountFindings(form) {
  const panel = document.getElementById("live-findings");
  if (!panel || !panel.dataset.url || !window.fetch) return;
  const fields = ["title", "summary", "body"].map((name) => form.elements[name]).filter(Boolean);
  const token = form.elements.csrfmiddlewaretoken && form.elements.csrfmiddlewaretoken.value;
  let timer = null;
  let sent = 0;

  function render(findings) {
    panel.replaceChildren();
    if (!findings.length) {
      const p = document.createElement("p");
      p.className = "hint findings-none";
      p.textContent = STRINGS.findingsNone || "";
      panel.appendChild(p);
      return;
    }
    const list = document.createElement("ul");
    list.className = "findings-live";
    findings.forEach((finding) => {
      const li = document.createElement("li");
      li.className = "finding finding-" + finding.check;
      const head = document.createElement("strong");
      head.textContent = finding.kind + " · " + finding.where;
      const excerpt = document.createElement("span");
      excerpt.className = "excerpt";
      excerpt.textContent = finding.excerpt;
      li.append(head, document.createElement("br"), excerpt);
      if (finding.suggestion) {
        const hint = document.createElement("small");
        hint.className = "hint";
        hint.textContent = finding.suggestion;
        li.append(document.createElement("br"), hint);
      }
      list.appendChild(li);
    });
    panel.appendChild(list);
  }

  function check() {
    const body = new FormData();
    fields.forEach((field) => body.append(field.name, field.value));
    const mine = ++sent;
    panel.setAttribute("aria-busy", "true");
    fetch(panel.dataset.url, {
      method: "POST",
      body,
      headers: { "X-CSRFToken": token || "" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        if (mine === sent) render(data.findings || []);
      })
      .catch(() => {
        if (mine !== sent) return;
        panel.replaceChildren();
        const p = document.createElement("p");
        p.className = "hint";
        p.textContent = STRINGS.findingsError || "";
        panel.appendChild(p);
      })
      .finally(() => {
        if (mine === sent) panel.removeAttribute("aria-busy");
      });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 700);
  }
  fields.forEach((field) => field.addEventListener("input", later));
  if (fields.some((field) => field.value.trim())) check();
}

function start() {
  const textarea = document.querySelector("textarea.body-editor");
  if (textarea && window.DOMParser) {
    try {
      window.gongkaiEditor = mountEditor(textarea);
    } catch (error) {
      textarea.hidden = false; // the plain textarea still works
    }
  }
  const form = document.getElementById("item-form");
  if (form) mountFindings(form);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
