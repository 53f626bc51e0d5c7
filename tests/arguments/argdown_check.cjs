// Parse an Argdown file with the reference implementation and print what it found, as JSON:
// parser errors, each statement's text and data by title, and the relations [from, type, to].
const { ArgdownApplication, ParserPlugin, ModelPlugin, DataPlugin } = require("@argdown/core");
const fs = require("fs");
const app = new ArgdownApplication();
app.addPlugin(new ParserPlugin(), "parse-input");
app.addPlugin(new DataPlugin(), "build-model");
app.addPlugin(new ModelPlugin(), "build-model");
const response = app.run({ input: fs.readFileSync(process.argv[2], "utf8"), process: ["parse-input", "build-model"], logLevel: "error" });
const errors = [...(response.parserErrors || []), ...(response.lexerErrors || [])].map(e => String(e.message));
const statements = {};
for (const [title, ec] of Object.entries(response.statements || {})) {
  statements[title] = { text: (ec.members || []).map(m => (m.text || "").trim()).filter(t => t), data: ec.data || null };
}
console.log(JSON.stringify({ errors, statements, relations: (response.relations || []).map(r => [r.from.title, r.relationType, r.to.title]) }));
