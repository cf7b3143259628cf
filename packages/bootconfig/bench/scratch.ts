import { renderNodeFiles } from '../src/index.js';
import { makeSite, sampleNodes } from '../test/fixture.js';
for (const { name, node } of sampleNodes()) {
  console.log('=========', name);
  for (const f of renderNodeFiles(node, makeSite())) console.log(`----- ${f.scope} ${f.path} ${f.mode.toString(8)} ${f.secret}\n${f.content}`);
}
