// Copies the browser builds of the front-end packages in package.json into the repository, so the server never
// loads scripts from a CDN and the browser tests need no npm at run time. Reproduce with: npm ci && npm run vendor
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const site = join(root, "kg_publisher", "web", "static", "vendor");
// package → where its files go, and which files
const packages = [
  { name: "@zazuko/yasgui", target: join(site, "yasgui"), files: ["build/yasgui.min.js", "build/yasgui.min.css"] },
  { name: "vega", target: join(site, "vega"), files: ["build/vega.min.js"] },
  { name: "vega-lite", target: join(site, "vega-lite"), files: ["build/vega-lite.min.js"] },
  { name: "tablesort", target: join(site, "tablesort"), files: ["dist/tablesort.min.js", "dist/sorts/tablesort.number.min.js"] },
  // the accessibility engine the browser tests inject into each page (tests/web/browser/)
  { name: "axe-core", target: join(root, "tests", "web", "browser", "vendor", "axe-core"), files: ["axe.min.js"] },
];

for (const { name, target, files } of packages) {
  const source = join(root, "node_modules", name);
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    copyFileSync(join(source, file), join(target, file.split("/").pop()));
  }
  const pkg = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
  const licence = ["LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "license"].map((n) => join(source, n)).find(existsSync);
  if (licence) copyFileSync(licence, join(target, "LICENSE"));
  writeFileSync(join(target, "VERSION"), `${pkg.name} ${pkg.version} (${pkg.license})\n`);
  console.log(`vendored ${pkg.name} ${pkg.version} into ${target}`);
}
