// Reads one export file with Citation.js and prints what it made of it as JSON on stdout:
// {"entries": n, "items": [CSL-JSON items]}. Usage: node read.js FORMAT FILE (bibtex, csljson, ris).
'use strict'
const fs = require('fs')
const { Cite } = require('@citation-js/core')
require('@citation-js/plugin-bibtex')
require('@citation-js/plugin-ris')
require('@citation-js/plugin-csl')

const FORCE_TYPE = { bibtex: '@biblatex/text', csljson: '@csl/list+object', ris: '@ris/file' }
const [format, file] = process.argv.slice(2)
if (!FORCE_TYPE[format] || !file) {
  console.error('usage: node read.js bibtex|csljson|ris FILE')
  process.exit(2)
}
let input = fs.readFileSync(file, 'utf8')
if (format === 'csljson') input = JSON.parse(input)
const cite = new Cite(input, { forceType: FORCE_TYPE[format] })
// _graph repeats the whole input for every item: not what was read.
const items = cite.data.map(({ _graph, ...item }) => item)
process.stdout.write(JSON.stringify({ entries: items.length, items }))
