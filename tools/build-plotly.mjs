// Builds the dashboard's two Plotly files from npm plotly.js@4.1.1 with esbuild@0.25.12:
//   04-plotly-4.1.1-iurc.min.js   core (scatter) + bar, heatmap, funnel: every page loads it
//   lazy/plotly-4.1.1-geo.min.js  scattergeo (geo subplot, d3-geo, topojson-client): fetched by
//                                 07-plotly-geo.js only when a figure has a scattergeo trace
// The geo file shares the core's modules (registry, lib, d3 …): each module it needs from the core
// is read from window.__iurcPlotlyModules, which the core fills, instead of being bundled twice.
// Run in a folder with `npm install --ignore-scripts plotly.js@4.1.1 esbuild@0.25.12`:
//   node build-plotly.mjs OUT_DIR       (OUT_DIR: dashboard/assets)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';

const out = process.argv[2] || '.';
const common = {
  bundle: true, minify: true, format: 'iife', target: 'es2018', legalComments: 'eof',
  define: {global: 'window'}, metafile: true, absWorkingDir: process.cwd(),
};
const CORE = `var Plotly = require('plotly.js/lib/core');   // scatter is part of the core
Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/heatmap'),
                 require('plotly.js/lib/funnel')]);
module.exports = Plotly;
`;
const GEO = "window.Plotly.register(require('plotly.js/lib/scattergeo'));\nwindow.Plotly.__iurcGeo = true;\n";
const entry = (name, contents) => ({contents, resolveDir: process.cwd(), sourcefile: name});

// 1. which core modules the geo code imports
const core0 = await esbuild.build({...common, stdin: entry('core.js', CORE), write: false, outfile: 'x/core.js'});
const geo0 = await esbuild.build({...common, stdin: entry('geo.js', GEO), write: false, outfile: 'x/geo.js'});
const inCore = new Set(Object.keys(core0.metafile.inputs));
const shared = new Set();
for (const [file, info] of Object.entries(geo0.metafile.inputs)) {
  if (inCore.has(file)) continue;
  for (const imp of info.imports) if (inCore.has(imp.path)) shared.add(imp.path);
}
const keys = [...shared].sort();

// 2. the core, exposing those modules
const expose = 'window.__iurcPlotlyModules = {\n' +
  keys.map((k) => `  ${JSON.stringify(k)}: require(${JSON.stringify('./' + k)}),`).join('\n') + '\n};\n';
await esbuild.build({...common, stdin: entry('core.js', CORE + expose), globalName: 'Plotly',
                     outfile: path.join(out, '04-plotly-4.1.1-iurc.min.js')});

// 3. the geo part, reading them from the core
const fromCore = {
  name: 'from-core',
  setup(build) {
    build.onLoad({filter: /.*/}, (args) => {
      const key = path.relative(process.cwd(), args.path).split(path.sep).join('/');
      if (!shared.has(key)) return undefined;
      return {contents: `module.exports = window.__iurcPlotlyModules[${JSON.stringify(key)}];`,
              loader: 'js'};
    });
  },
};
await esbuild.build({...common, stdin: entry('geo.js', GEO), plugins: [fromCore],
                     outfile: path.join(out, 'lazy', 'plotly-4.1.1-geo.min.js')});
// registry.js names maplibre's stylesheet (for map traces, not bundled here): esbuild writes it
// beside each file; the dashboard does not use it
for (const f of ['04-plotly-4.1.1-iurc.min.css', 'lazy/plotly-4.1.1-geo.min.css'])
  fs.rmSync(path.join(out, f), {force: true});
console.log(`shared modules: ${keys.length}`);
for (const f of ['04-plotly-4.1.1-iurc.min.js', 'lazy/plotly-4.1.1-geo.min.js'])
  console.log(f, fs.statSync(path.join(out, f)).size);
