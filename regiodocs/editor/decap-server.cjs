// regiodocs: Decap's local backend (decap-server, file system mode) behind two checks.
//
// decap-server answers anyone who reaches 127.0.0.1:<port>. A web page elsewhere can reach it
// through DNS rebinding (its own host name resolving to 127.0.0.1: same origin, no CORS) and
// could then write into content/. So only requests addressed to this machine's own name
// (Host 127.0.0.1:<port> or localhost:<port>) and, when a browser names an origin, coming from
// the preview (REGIODOCS_EDITOR_ORIGINS) get through; everything else gets 403.
//
// Started by `regiodocs serve` (regiodocs/preview.py) with NODE_PATH at the project's
// node_modules; PORT, BIND_HOST, GIT_REPO_DIRECTORY and LOG_LEVEL as for decap-server itself.
"use strict";

const path = require("path");
const decap = path.dirname(require.resolve("decap-server/package.json"));
const express = require(require.resolve("express", { paths: [decap] }));
const { registerLocalFs } = require(path.join(decap, "dist", "middlewares"));

const port = parseInt(process.env.PORT || "8081", 10);
const host = process.env.BIND_HOST || "127.0.0.1";
const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
const origins = new Set((process.env.REGIODOCS_EDITOR_ORIGINS || "").split(/\s+/).filter(Boolean));

const app = express();
app.disable("x-powered-by");
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (!hosts.has(String(req.headers.host || "").toLowerCase())) {
    res.status(403).json({ error: "Der lokale Web-Editor antwortet nur unter 127.0.0.1 oder localhost." });
  } else if (origin !== undefined && !origins.has(origin)) {
    res.status(403).json({ error: "Der lokale Web-Editor antwortet nur der Vorschau dieses Rechners." });
  } else {
    next();
  }
});

// decap-server moves folders in a promise nobody awaits: a failed move (a symlink, a folder
// outside content/) must not end the editor for everyone else
process.on("unhandledRejection", (reason) => {
  console.error(`regiodocs: Der lokale Web-Editor konnte eine Datei nicht verschieben: ${reason && reason.message}`);
});

registerLocalFs(app, { logLevel: process.env.LOG_LEVEL || "warn" })
  .then(() => {
    const server = app.listen(port, host);
    server.on("error", (error) => {
      console.error(`regiodocs: Der lokale Web-Editor kann nicht auf ${host}:${port} lauschen: ${error.code}`);
      process.exit(1);
    });
  })
  .catch((error) => {
    console.error(`regiodocs: decap-server startet nicht: ${error && error.message}`);
    process.exit(1);
  });
