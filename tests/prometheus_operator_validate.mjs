// Validates the prometheus-operator resources (monitoring.coreos.com/v1) of multi-document YAML
// files against the CRDs' OpenAPI schemas, offline: kubernetes-validate knows only the built-in
// kinds and passes unknown ones silently. The schemas come from the npm package
// @kubernetes-models/prometheus-operator (generated from the operator's CRDs), installed by
// scripts/setup.sh under .tools/npm-monitoring. Prints one line per failure; exits 1 if any.
// Usage: node tests/prometheus_operator_validate.mjs <node_modules> FILE...
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), "index.js"));
const { parseAllDocuments } = require("yaml");
// The package exports ES modules only: imported by file, as require.resolve cannot name them.
const v1 = path.join(path.resolve(modules), "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/index.js");
const models = await import(pathToFileURL(v1).href);

let failures = 0;
for (const file of files) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    const object = document.toJS();
    if (!object || typeof object.apiVersion !== "string" || !object.apiVersion.startsWith("monitoring.coreos.com/")) {
      continue;
    }
    const where = `${file}: ${object.kind}/${object.metadata?.name}`;
    const Model = object.apiVersion === "monitoring.coreos.com/v1" ? models[object.kind] : undefined;
    if (typeof Model !== "function") {
      console.log(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
      failures++;
      continue;
    }
    try {
      new Model(object).validate();
    } catch (error) {
      for (const detail of error.errors ?? [error]) {
        console.log(`${where}: ${detail.instancePath ?? ""} ${detail.message}`);
        failures++;
      }
    }
  }
}
process.exit(failures ? 1 : 0);
