/* triggers.js: the sentence saying when each proactive invitation fires: in the list, and live under the form while it is edited. */
(function () {
	'use strict';
	var form = document.getElementById('trigger-form');
	if (!form) return;
	var cfg = {};
	try { cfg = JSON.parse(form.getAttribute('data-config') || '{}'); } catch (e) { cfg = {}; }
	var L = function (k) { return (cfg.labels && cfg.labels[k]) || k; };
	var fields = cfg.fields || [];
	function fill(s, vars) {
		Object.keys(vars).forEach(function (k) { s = s.split('{' + k + '}').join(String(vars[k])); });
		return s;
	}
	function fieldOf(name) {
		for (var i = 0; i < fields.length; i++) if (!fields[i].key && fields[i].id === name) return { f: fields[i], key: '' };
		for (i = 0; i < fields.length; i++)
			if (fields[i].key && name.indexOf(fields[i].key) === 0) return { f: fields[i], key: name.slice(fields[i].key.length) };
		return null;
	}
	function valueText(f, v) {
		if (Array.isArray(v)) return v.map(function (x) { return valueText(f, x); }).join(', ');
		if (typeof v === 'boolean') return v ? L('yes') : L('no');
		if (typeof v === 'number') return String(v);
		var o = f && (f.options || []).filter(function (x) { return String(x.value) === String(v); })[0];
		return o ? o.label : '“' + String(v) + '”';
	}
	// One condition as words: "Page address contains “/pricing”".
	function condText(c) {
		var found = fieldOf(c.field || ''), f = found && found.f;
		var name = f ? (found.key ? f.label.replace(/…$/, '') + ' ' + found.key : f.label) : c.field;
		if (c.op === 'exists') return name + ' ' + L(c.value === false ? 'exists_false' : 'exists_true');
		return name + ' ' + L('op_' + c.op) + ' ' + valueText(f, c.value);
	}
	function sentence(t) {
		var conds = t.match && Array.isArray(t.match.all) ? t.match.all : [];
		var where = conds.length ? fill(L('where'), { conds: conds.map(condText).join(L('and')) }) : L('where_any');
		var n = Number(t.after_seconds) || 0;
		return fill(L('preview'), {
			where: where,
			after: n > 0 ? fill(L('after_n'), { n: n }) : L('after_now'),
			text: t.text || '…',
			hours: Number(t.once_per_hours) || 24
		});
	}
	Array.prototype.forEach.call(document.querySelectorAll('tr[data-trigger]'), function (tr) {
		try { tr.querySelector('.trigger-sentence').textContent = sentence(JSON.parse(tr.getAttribute('data-trigger'))); } catch (e) { /* left empty */ }
	});
	var out = document.getElementById('trigger-preview');
	function preview() {
		var e = form.elements, match;
		try { match = JSON.parse(e.match.value || '"all"'); } catch (x) { match = 'all'; }
		out.textContent = sentence({ match: match, after_seconds: e.after_seconds.value, text: e.text.value.trim(), once_per_hours: e.once_per_hours.value });
	}
	// The builder writes the hidden match input in its own handlers of the same events: read it after them.
	['input', 'change', 'click', 'keyup'].forEach(function (ev) { form.addEventListener(ev, function () { setTimeout(preview, 0); }); });
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { setTimeout(preview, 0); });
	else setTimeout(preview, 0);
})();
