import type { WebUser } from './session.js';

/** Every value goes through here: the page never trusts what a node reported. */
export function html(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `*{box-sizing:border-box}body{font:14px system-ui,sans-serif;margin:0;color:#1d2330;background:#f5f6f8}
header{background:#1d2330;color:#fff;padding:8px 20px;display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center}
header a{color:#9cc3ff;text-decoration:none}header .me{margin-left:auto;color:#c9d1dc}header form{display:inline}
main{padding:16px 20px;max-width:100%}h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin-top:24px}
a:focus,button:focus,input:focus,select:focus{outline:3px solid #f0a500;outline-offset:1px}
.scroll{max-width:100%;overflow-x:auto}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde1e7;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5}th a{color:inherit}.num{text-align:right}
.state{display:inline-block;padding:1px 8px;border-radius:9px;background:#e3e8ef;white-space:nowrap}
.state-deployed{background:#c9f0d2}.state-failed{background:#ffd0d0}.state-installing,.state-bmc-configured{background:#fff0b3}
.state-maintenance{background:#dcd3ff}.stuck{background:#fff4f4}
.bar{background:#e3e8ef;width:160px;height:10px;display:inline-block}.bar span{display:block;height:10px;background:#3d7bd9}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde1e7;padding:8px 14px;min-width:110px}
.card b{font-size:22px;display:block}.card a{text-decoration:none;color:inherit}
.flash{padding:8px 12px;border:1px solid;margin:8px 0}.flash-ok{background:#e6f7ea;border-color:#7fc48f}
.flash-error{background:#fff0f0;border-color:#e08080}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin:8px 0}label{display:inline-flex;flex-direction:column;gap:2px}
.actions{display:flex;flex-wrap:wrap;gap:8px}.actions a,button{padding:4px 10px;border:1px solid #8a94a6;background:#fff;border-radius:3px;color:#1d2330;text-decoration:none;font:inherit;cursor:pointer}
button.danger{border-color:#c03030;color:#a01010}.muted{color:#6b7485}code{white-space:pre-wrap;word-break:break-word}
.pager{margin:8px 0;display:flex;gap:12px}`;

export interface Layout {
  user: WebUser | null;
  csrf: string;
  flash: { kind: 'ok' | 'error'; text: string } | null;
}

/** A hidden CSRF field: every form carries one. */
export function csrfField(csrf: string): string {
  return `<input type="hidden" name="_csrf" value="${html(csrf)}">`;
}

export function page(title: string, body: string, layout: Layout): string {
  const { user } = layout;
  const nav = user
    ? `<a href="/">Overview</a><a href="/ui/nodes">Nodes</a><a href="/ui/ipam">IPAM</a><a href="/ui/drift">Drift</a>${
        user.role === 'admin' ? '<a href="/ui/admin">Users and tokens</a>' : ''
      }<span class="me">${html(user.name)} (${html(user.role)})</span>${
        user.sessionId
          ? `<form method="post" action="/logout">${csrfField(layout.csrf)}<button type="submit">Log out</button></form>`
          : ''
      }`
    : '<a href="/login">fleet</a>';
  const flash = layout.flash
    ? `<p class="flash flash-${layout.flash.kind}" role="status" id="flash">${html(layout.flash.text)}</p>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${html(title)} · fleet</title><style>${STYLE}</style></head>
<body><header><strong>fleet</strong>${nav}</header><main>${flash}${body}</main></body></html>`;
}

export const stateBadge = (s: string): string => `<span class="state state-${html(s)}">${html(s)}</span>`;

/** `3 d 4 h`, `2 h 5 min`, `40 s`: time in state for humans. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 120) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

export function gib(bytes: number): string {
  if (bytes >= 1e12) return `${(bytes / 1e12).toFixed(1)} TB`;
  return `${Math.round(bytes / 1e9)} GB`;
}
