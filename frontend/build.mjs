// Builds the item editor: frontend/editor.js and the npm packages it imports (versions pinned
// in package-lock.json) into one file, gongkai/static/gongkai/editor.js, with the licence of
// every bundled package in gongkai/static/gongkai/editor.js.LICENSES.txt (MIT: the notices go
// with the copies). The built files are committed, so that `make run` needs no Node.js;
// `node frontend/build.mjs --check` (run by `make test`) fails when they differ from a fresh
// build of the sources.
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "gongkai/static/gongkai/editor.js");
const licences = out + ".LICENSES.txt";
const check = process.argv.includes("--check");

const result = await build({
  entryPoints: [join(root, "frontend/editor.js")],
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2019",
  legalComments: "none",
  metafile: true,
  write: false,
  absWorkingDir: root,
  logLevel: "warning",
});

// the packages bundled, each with its licence text
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (!match || packages.has(match[1])) continue;
  const dir = join(root, "node_modules", match[1]);
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  packages.set(match[1], {
    version: meta.version,
    license: meta.license || "",
    text: file ? readFileSync(join(dir, file), "utf8").trim() : "",
  });
}
const names = [...packages.keys()].sort();
const banner =
  "/*! gongkai item editor. Bundles (licences in editor.js.LICENSES.txt): " +
  names.map((name) => `${name}@${packages.get(name).version} (${packages.get(name).license})`).join(", ") +
  " */\n";
const code = banner + result.outputFiles[0].text;
const notices =
  names
    .map((name) => {
      const p = packages.get(name);
      return `${name} ${p.version} — ${p.license}\n\n${p.text || "(no licence file in the package; licence: " + p.license + ")"}\n`;
    })
    .join("\n" + "-".repeat(72) + "\n\n");

if (check) {
  const stale = [
    [out, code],
    [licences, notices],
  ].filter(([path, text]) => !existsSync(path) || readFileSync(path, "utf8") !== text);
  if (stale.length) {
    console.error(
      "Out of date (run `make editor` and commit): " + stale.map(([p]) => relative(root, p)).join(", "),
    );
    process.exit(1);
  }
  console.log("editor bundle up to date (" + names.length + " packages)");
} else {
  writeFileSync(out, code);
  writeFileSync(licences, notices);
  console.log(`${relative(root, out)}: ${(code.length / 1024).toFixed(0)} KB, ${names.length} packages`);
}
