// The server's own tests start it through the same public helper the CLI's and the inventory's tests use.
export { startTestServer as startServer, type TestServer as Running } from '../src/index.js';
