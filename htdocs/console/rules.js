/* rules.js: the rule form's route builder and leave-message field builder (KefuBuild, cond-builder.js); each keeps its
 * hidden input (routes, leave_fields: what the server reads) in step. */
(function () {
	'use strict';
	function start() {
		var B = window.KefuBuild;
		var cfgEl = document.getElementById('rule-builders');
		if (!B || !cfgEl) return;
		var cfg = JSON.parse(cfgEl.getAttribute('data-config') || '{}');
		var faults = JSON.parse(cfgEl.getAttribute('data-faults') || '[]');
		var L = B.labeller(cfg.labels);
		var el = B.el;
		function read(id, dflt) {
			try { var v = JSON.parse(document.getElementById(id).value || ''); return Array.isArray(v) ? v : dflt; } catch (x) { return dflt; }
		}
		// The faults below a prefix ("routing.routes[2].match.all[0].value"): index -> {rest, message}.
		function faultsUnder(prefix) {
			var out = {};
			faults.forEach(function (f) {
				if (f.field.indexOf(prefix + '[') !== 0) return;
				var m = /^\[(\d+)\]\.?(.*)$/.exec(f.field.slice(prefix.length));
				if (m) (out[m[1]] = out[m[1]] || []).push({ rest: m[2], message: f.message });
			});
			return out;
		}
		function mark(ctl, message) {
			var id = 'fault-' + Math.random().toString(36).slice(2);
			ctl.setAttribute('aria-invalid', 'true');
			ctl.setAttribute('aria-describedby', id);
			ctl.parentNode.appendChild(el('small', { class: 'field-error', id: id, text: message }));
		}

		// One builder: the list in NAME-builder keeps the hidden NAME-input in step. The server's faults below
		// faultPrefix go to make() with the item they name: items are made in order, the nth made is the nth judged.
		function builder(name, faultPrefix, texts, make) {
			var input = document.getElementById(name + '-input');
			var itemFaults = faultsUnder(faultPrefix);
			var made = 0;
			B.list(document.getElementById(name + '-builder'), {
				items: read(name + '-input', []),
				labels: cfg.labels,
				addLabel: L(texts.add),
				emptyText: L(texts.empty),
				itemLabel: function (i) { return L(texts.item) + ' ' + (i + 1); },
				make: function (item, api) { return make(item, api, itemFaults[made++] || []); },
				onchange: function (v) { input.value = JSON.stringify(v); }
			});
		}

		// --- routes: a group and the conditions that send a conversation to it, first match wins.
		builder('routes', 'routing.routes', { add: 'add_route', empty: 'no_routes', item: 'route' }, function (route, api, fs) {
			route = route || {};
			var sel = el('select', { class: 'route-group' }, [el('option', { value: '', text: L('group_none') })].concat(
				(cfg.groups || []).map(function (g) { return el('option', { value: String(g.value), text: g.label }); })));
			if (route.group_id) {
				if (!(cfg.groups || []).some(function (g) { return g.value === route.group_id; }))
					sel.appendChild(el('option', { value: String(route.group_id), text: '#' + route.group_id }));
				sel.value = String(route.group_id);
			}
			var conds = el('div', { class: 'route-conds' }, [el('p', { class: 'hint', text: L('route_conditions') })]);
			var box = el('div', { class: 'route' }, [
				el('div', { class: 'route-head' }, [el('label', {}, [L('route_group'), sel])]), conds]);
			var cf = null;
			fs.forEach(function (f) {
				if (f.rest.indexOf('match.') === 0) cf = B.faultAt(f.rest.slice(6), f.message) || cf;
				else mark(sel, f.message);
			});
			var c = B.conditions(conds, { fields: cfg.fields, labels: cfg.labels, value: route.match, fault: cf, onchange: api.changed });
			sel.addEventListener('change', api.changed);
			return {
				el: box,
				value: function () { return { group_id: sel.value ? Number(sel.value) : 0, match: c.value() }; }
			};
		});

		// --- leave-message fields: name, label, type, required, options for a choice.
		var types = ['text', 'textarea', 'phone', 'email', 'select'];
		builder('leave-fields', 'leave_message.fields', { add: 'add_field', empty: 'no_fields', item: 'lf_field' }, function (f, api, fs) {
			f = f || { type: 'text' };
			var name = el('input', { type: 'text', class: 'lf-name', value: f.name || '', maxlength: '64', pattern: '[A-Za-z0-9_\\-]+', required: true });
			var label = el('input', { type: 'text', class: 'lf-label', value: f.label || '', maxlength: '200' });
			var type = el('select', { class: 'lf-type' }, types.map(function (t) { return el('option', { value: t, text: L('type_' + t) }); }));
			type.value = types.indexOf(f.type) >= 0 ? f.type : 'text';
			var req = el('input', { type: 'checkbox', class: 'lf-required', checked: !!f.required });
			var opts = el('input', { type: 'text', class: 'lf-options', value: (f.options || []).join(', '), placeholder: L('lf_options_placeholder') });
			var optsLabel = el('label', { class: 'lf-opts' }, [L('lf_options'), opts]);
			var box = el('div', { class: 'lf-row' }, [
				el('label', {}, [L('lf_name'), name]), el('label', {}, [L('lf_label'), label]),
				el('label', {}, [L('lf_type'), type]), optsLabel, el('label', { class: 'lf-req' }, [req, ' ' + L('lf_required')])]);
			function sync() { optsLabel.hidden = type.value !== 'select'; }
			sync();
			var ctl = { name: name, label: label, type: type, required: req, options: opts };
			fs.forEach(function (x) { mark(ctl[x.rest] || name, x.message); });
			box.addEventListener('input', api.changed);
			box.addEventListener('change', function () { sync(); api.changed(); });
			return {
				el: box,
				value: function () {
					var v = { name: name.value.trim(), label: label.value.trim(), type: type.value, required: req.checked };
					if (type.value === 'select')
						v.options = opts.value.split(/[,，]/).map(function (s) { return s.trim(); }).filter(Boolean);
					return v;
				}
			};
		});
	}
	if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
	else start();
})();
