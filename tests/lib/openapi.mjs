// tests/lib/openapi.mjs: check real responses against docs/openapi.json with a small JSON Schema (2020-12) validator.
//
// The validator knows the subset the document uses: $ref (to #/components/...),
// type (one or a list), properties, required, additionalProperties, items,
// enum, const, oneOf, anyOf, allOf, minimum, maximum, minLength, maxLength,
// pattern, maxProperties, and format date-time / date. Keywords it does not
// know are annotations (description, examples, writeOnly, ...).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOC_PATH = join(dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.json');
export const doc = JSON.parse(readFileSync(DOC_PATH, 'utf8'));

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const DATE = /^\d{4}-\d\d-\d\d$/;

function resolve(ref) {
	if (!ref.startsWith('#/'))
		throw new Error(`unsupported $ref ${ref}`);
	let x = doc;
	for (const part of ref.slice(2).split('/'))
		x = x?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
	if (x === undefined)
		throw new Error(`dangling $ref ${ref}`);
	return x;
}

function typeOf(v) {
	if (v === null)
		return 'null';
	if (Array.isArray(v))
		return 'array';
	if (typeof v === 'number')
		return Number.isInteger(v) ? 'integer' : 'number';
	return typeof v;
}

function typeOk(want, v) {
	const t = typeOf(v);
	return want === t || (want === 'number' && t === 'integer');
}

/** Errors of value v against schema s, as ["path: what", ...]; empty when valid. */
export function validate(s, v, path = '$') {
	if (s === true || s === undefined)
		return [];
	if (s === false)
		return [`${path}: not allowed`];
	const errs = [];
	if (s.$ref)
		errs.push(...validate(resolve(s.$ref), v, path));
	if (s.type !== undefined) {
		const types = Array.isArray(s.type) ? s.type : [s.type];
		if (!types.some((t) => typeOk(t, v)))
			return [...errs, `${path}: ${JSON.stringify(v)?.slice(0, 80)} is ${typeOf(v)}, not ${types.join('|')}`];
	}
	if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
		errs.push(`${path}: ${JSON.stringify(v)} not in ${JSON.stringify(s.enum)}`);
	if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v))
		errs.push(`${path}: not ${JSON.stringify(s.const)}`);
	if (typeof v === 'number') {
		if (s.minimum !== undefined && v < s.minimum)
			errs.push(`${path}: ${v} < ${s.minimum}`);
		if (s.maximum !== undefined && v > s.maximum)
			errs.push(`${path}: ${v} > ${s.maximum}`);
	}
	if (typeof v === 'string') {
		const n = [...v].length;
		if (s.minLength !== undefined && n < s.minLength)
			errs.push(`${path}: shorter than ${s.minLength}`);
		if (s.maxLength !== undefined && n > s.maxLength)
			errs.push(`${path}: longer than ${s.maxLength}`);
		if (s.pattern && !new RegExp(s.pattern, 'u').test(v))
			errs.push(`${path}: ${JSON.stringify(v)} does not match ${s.pattern}`);
		if (s.format === 'date-time' && !DATE_TIME.test(v))
			errs.push(`${path}: ${JSON.stringify(v)} is no RFC 3339 date-time`);
		if (s.format === 'date' && !DATE.test(v))
			errs.push(`${path}: ${JSON.stringify(v)} is no date`);
	}
	if (Array.isArray(v) && s.items)
		v.forEach((x, i) => errs.push(...validate(s.items, x, `${path}[${i}]`)));
	if (typeOf(v) === 'object') {
		for (const r of s.required || [])
			if (!(r in v))
				errs.push(`${path}: missing ${r}`);
		const props = s.properties || {};
		for (const [k, x] of Object.entries(v)) {
			if (k in props)
				errs.push(...validate(props[k], x, `${path}.${k}`));
			else if (s.additionalProperties !== undefined)
				errs.push(...validate(s.additionalProperties, x, `${path}.${k}`));
		}
		if (s.maxProperties !== undefined && Object.keys(v).length > s.maxProperties)
			errs.push(`${path}: more than ${s.maxProperties} properties`);
	}
	if (s.allOf)
		for (const x of s.allOf)
			errs.push(...validate(x, v, path));
	if (s.anyOf && !s.anyOf.some((x) => validate(x, v, path).length === 0))
		errs.push(`${path}: matches none of anyOf`);
	if (s.oneOf) {
		const ok = s.oneOf.map((x) => validate(x, v, path));
		const n = ok.filter((e) => e.length === 0).length;
		if (n !== 1)
			errs.push(`${path}: matches ${n} of oneOf (${ok.map((e) => e[0]).filter(Boolean).join('; ')})`);
	}
	return errs;
}

// Path templates as regular expressions; literal segments win over parameters
// ("/x/transcript.txt" before "/x/{id}").
const routes = Object.entries(doc.paths).map(([template, item]) => ({
	template, item,
	re: new RegExp('^' + template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+') + '/?$'),
	params: (template.match(/\{/g) || []).length,
})).sort((a, b) => a.params - b.params);

/** The document's operation for method and a concrete path (query allowed), or null. */
export function findOperation(method, path) {
	const p = path.split('?')[0];
	const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
	for (const r of routes)
		if (r.re.test(p) && r.item[m])
			return { template: r.template, op: r.item[m] };
	return null;
}

/**
 * Problems of one real answer against the document: [] when it conforms.
 * An operation the document lacks is a problem; a status it does not list
 * falls to "default" (the error body).
 */
export function checkResponse(method, path, status, contentType, json, text) {
	const found = findOperation(method, path);
	if (!found) {
		// An unknown path or method, or a request the web server refused
		// before routing, still answers with the error body.
		if (status >= 400)
			return validate(doc.components.schemas.Error, json).map((e) => `${method} ${path} ${status}: ${e}`);
		return [`${method} ${path}: not in docs/openapi.json`];
	}
	let resp = found.op.responses[String(status)] ?? found.op.responses[`${String(status)[0]}XX`] ?? found.op.responses.default;
	if (!resp)
		return [`${method} ${found.template}: status ${status} is not documented`];
	if (resp.$ref)
		resp = resolve(resp.$ref);
	const where = `${method} ${found.template} ${status}`;
	if (!resp.content)
		return text ? [`${where}: a body where the document has none`] : [];
	const mime = (contentType || '').split(';')[0].trim();
	const media = resp.content[mime] ?? resp.content[`${mime.split('/')[0]}/*`] ?? resp.content['*/*'];
	if (!media)
		return [`${where}: content type ${mime || '(none)'}, documented ${Object.keys(resp.content).join(', ')}`];
	if (mime !== 'application/json' || !media.schema)
		return [];
	if (json === null || json === undefined)
		return [`${where}: the body is not JSON`];
	return validate(media.schema, json).map((e) => `${where}: ${e}`);
}
