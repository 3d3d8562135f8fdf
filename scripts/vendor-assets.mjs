// Copies the browser builds of the front-end packages in package.json into kg_publisher/web/static/vendor/,
// so the server never loads scripts from a CDN. Reproduce with: npm ci && npm run vendor
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "kg_publisher", "web", "static", "vendor", "yasgui");
const source = join(root, "node_modules", "@zazuko", "yasgui");
const files = ["build/yasgui.min.js", "build/yasgui.min.css"];

mkdirSync(target, { recursive: true });
for (const file of files) {
  copyFileSync(join(source, file), join(target, file.split("/").pop()));
}
const pkg = JSON.parse(readFileSync(join(source, "package.json"), "utf8"));
const licence = ["LICENSE", "LICENSE.md", "license"].map((name) => join(source, name)).find(existsSync);
if (licence) copyFileSync(licence, join(target, "LICENSE"));
writeFileSync(join(target, "VERSION"), `${pkg.name} ${pkg.version} (${pkg.license})\n`);
console.log(`vendored ${pkg.name} ${pkg.version} into ${target}`);
