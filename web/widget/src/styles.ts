/**
 * Inside the shadow root: the host page's CSS does not reach in (`:host { all: initial }` also
 * stops inherited fonts and colours), and nothing here reaches out.
 */
export const STYLES = `
:host{all:initial}
*{box-sizing:border-box}
.root{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2933}
button,textarea{font:inherit;color:inherit}
button{cursor:pointer}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;border:0;border-radius:50%;background:#1d4ed8;color:#fff;box-shadow:0 6px 20px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.launcher svg{width:28px;height:28px}
.launcher .dot{position:absolute;top:4px;right:4px;width:14px;height:14px;border-radius:50%;background:#dc2626;border:2px solid #fff}
.panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:370px;height:min(600px,calc(100vh - 112px));background:#fff;border-radius:14px;box-shadow:0 12px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
.panel[hidden],[hidden]{display:none!important}
header{background:#1d4ed8;color:#fff;padding:12px 12px 12px 16px;display:flex;align-items:center;gap:8px}
header h2{margin:0;font-size:16px;font-weight:600;flex:1}
.x{background:transparent;border:0;color:#fff;width:36px;height:36px;border-radius:8px;font-size:22px;line-height:1}
.x:hover{background:rgba(255,255,255,.15)}
.status{background:#eff6ff;color:#1e3a8a;padding:8px 16px;font-size:13px;border-bottom:1px solid #dbeafe}
.status:empty{display:none}
.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f8fafc}
.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.msg a{color:inherit;text-decoration:underline}
.msg .who{display:block;font-size:12px;font-weight:600;color:#52606d;margin-bottom:2px}
.contact{align-self:flex-end;background:#1d4ed8;color:#fff;border-bottom-right-radius:4px}
.contact .who{color:#dbeafe}
.assistant,.user{align-self:flex-start;background:#fff;border:1px solid #e4e7eb;border-bottom-left-radius:4px}
.system,.note{align-self:center;max-width:92%;text-align:center;font-size:13px;color:#3e4c59;background:#fef3c7;border-radius:10px;padding:6px 10px;white-space:pre-wrap}
.note{background:#dcfce7;color:#14532d}
.pending{opacity:.6}
.typing{font-size:13px;color:#52606d;padding:0 16px 6px;background:#f8fafc;min-height:0}
.csat{padding:10px 16px;border-top:1px solid #e4e7eb;text-align:center}
.csat p{margin:0 0 8px;font-weight:600}
.stars{display:flex;justify-content:center;gap:6px}
.stars button{width:44px;height:44px;border-radius:10px;border:1px solid #cbd2d9;background:#fff;font-size:16px;font-weight:600}
.stars button:hover,.stars button:focus-visible{background:#fef3c7;border-color:#f59e0b}
footer{border-top:1px solid #e4e7eb;padding:8px;display:flex;flex-direction:column;gap:6px;background:#fff}
.human{align-self:flex-start;border:1px solid #1d4ed8;background:#fff;color:#1d4ed8;border-radius:999px;padding:6px 12px;font-size:13px;font-weight:600}
.row{display:flex;gap:6px;align-items:flex-end}
textarea{flex:1;resize:none;border:1px solid #cbd2d9;border-radius:10px;padding:9px 10px;min-height:42px;max-height:120px;background:#fff}
.send{border:0;border-radius:10px;background:#1d4ed8;color:#fff;padding:0 14px;height:42px;font-weight:600}
.send:disabled{opacity:.5;cursor:default}
.err{color:#b91c1c;font-size:13px}
.err:empty{display:none}
@media (max-width:480px){
.panel{right:0;bottom:0;width:100%;height:100%;border-radius:0}
.launcher.open{display:none}
}
`;
