// SPDX-License-Identifier: MIT
// Runs the script of conf/zabbix/media_sochi.yaml as Zabbix 6.0 would: the
// media type's parameters (macros already replaced) as `value`, and
// Zabbix's HttpRequest and Zabbix.log objects.  HttpRequest is synchronous
// in Zabbix, so it is played here by curl, on loopback only.
// Usage: node zabbix_media.js MEDIA.json PARAMS.json
'use strict';
const fs = require('fs');
const { execFileSync } = require('child_process');

const media = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const params = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));

function HttpRequest() {
    this.headers = [];
    this.status = 0;
}
HttpRequest.prototype.addHeader = function (h) { this.headers.push(h); };
HttpRequest.prototype.post = function (url, body) {
    if (!/^http:\/\/127\.\d+\.\d+\.\d+:\d+\//.test(url)) {
        throw new Error('this test posts to loopback only, not ' + url);
    }
    const args = ['-sS', '-o', '-', '-w', '\n%{http_code}', '-X', 'POST',
        '--data-binary', '@-'];
    this.headers.forEach((h) => args.push('-H', h));
    args.push(url);
    const out = execFileSync('curl', args, { input: body }).toString();
    const cut = out.lastIndexOf('\n');
    this.status = parseInt(out.slice(cut + 1), 10);
    return out.slice(0, cut);
};
HttpRequest.prototype.getStatus = function () { return this.status; };
const Zabbix = { log: (level, msg) => process.stderr.write(`zabbix log ${level}: ${msg}\n`) };

const script = new Function('value', 'HttpRequest', 'Zabbix', media.script);
try {
    const result = script(JSON.stringify(params), HttpRequest, Zabbix);
    process.stdout.write(String(result) + '\n');
} catch (e) {
    process.stdout.write('FAILED: ' + e + '\n');
    process.exit(1);
}
