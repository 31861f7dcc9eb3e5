// Build Caseline's static front end into frontend/dist: compiled CSS, JS and the assets
// that GOV.UK Frontend and MOJ Frontend ship. Run by `make setup`; output is not committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "dist");
const modules = join(here, "node_modules");

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });

const css = sass.compile(join(here, "scss", "caseline.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  loadPaths: [here],
  quietDeps: true,
  silenceDeprecations: ["import"],
  // The design systems' own deprecation notices are theirs to fix; ours still print. A
  // notice raised by `@warn` has no span: where it was raised is the stack's first line.
  logger: {
    warn(message, { span, stack }) {
      const where = span?.url?.pathname ?? stack?.split("\n")[0] ?? "";
      if (!where.includes("node_modules/")) console.warn(message);
    },
  },
});
writeFileSync(join(dist, "caseline.css"), css.css);

cpSync(join(modules, "govuk-frontend/dist/govuk/assets"), join(dist, "assets"), { recursive: true });
cpSync(join(modules, "govuk-frontend/dist/govuk/govuk-frontend.min.js"), join(dist, "govuk/govuk-frontend.min.js"));
cpSync(join(modules, "@ministryofjustice/frontend/moj/assets"), join(dist, "assets"), { recursive: true });
cpSync(join(modules, "@ministryofjustice/frontend/moj/moj-frontend.min.js"), join(dist, "moj/moj-frontend.min.js"));
cpSync(join(modules, "chart.js/dist/chart.umd.min.js"), join(dist, "chart/chart.umd.min.js"));
cpSync(join(here, "js"), join(dist, "js"), { recursive: true });
cpSync(join(here, "images"), join(dist, "images"), { recursive: true });
console.log(`Built ${dist}`);
