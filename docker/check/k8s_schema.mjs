// Validates every object of a multi-document YAML file (the output of `kubectl kustomize docker/`) against the
// Kubernetes API schemas that the npm package kubernetes-models ships. Types, required fields and enums are checked;
// unknown fields are not (manifests_check.py checks the fields that matter by name).
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

let invalid = 0;
let count = 0;
for (const doc of parseAllDocuments(readFileSync(process.argv[2], 'utf8'))) {
  const o = doc.toJSON();
  if (!o) {
    continue;
  }
  const [group, version] = o.apiVersion.includes('/') ? o.apiVersion.split('/') : [null, o.apiVersion];
  const module = await import(group ? `kubernetes-models/${group}/${version}/${o.kind}` : `kubernetes-models/${version}/${o.kind}`);
  count++;
  try {
    new module[o.kind](o).validate();
    console.log(`ok    ${o.apiVersion} ${o.kind} ${o.metadata.name}`);
  } catch (e) {
    invalid++;
    console.log(`FAIL  ${o.apiVersion} ${o.kind} ${o.metadata.name}: ${e.message}`);
  }
}
console.log(`${count} objects, ${invalid} invalid`);
process.exit(invalid || count === 0 ? 1 : 0);
