// Parse an Argdown file with the reference implementation and print what it found, as JSON.
const { ArgdownApplication, ParserPlugin, ModelPlugin, DataPlugin } = require("@argdown/core");
const fs = require("fs");
const app = new ArgdownApplication();
app.addPlugin(new ParserPlugin(), "parse-input");
app.addPlugin(new DataPlugin(), "build-model");
app.addPlugin(new ModelPlugin(), "build-model");
const response = app.run({ input: fs.readFileSync(process.argv[2], "utf8"), process: ["parse-input", "build-model"], logLevel: "error" });
const errors = [...(response.parserErrors || []), ...(response.lexerErrors || [])].map(e => String(e.message));
console.log(JSON.stringify({ errors, statements: Object.keys(response.statements || {}), relations: (response.relations || []).map(r => [r.from.title, r.relationType, r.to.title]) }));
