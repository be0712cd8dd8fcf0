// htdocs/widget/forms.js: one renderer for the pre-chat and leave-a-message forms (fields, checks, the server's field errors).
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

	// opts: prefix (element ids), hello, submit (label), onSubmit(values) → promise, onDone(form).
	function fieldForm(fields, opts) {
		var inputs = {};
		var form = h('form', { class: 'k-prechat', novalidate: true });
		if (opts.hello) form.appendChild(h('p', { class: 'k-hello', text: opts.hello }));
		fields.forEach(function (f, i) {
			var id = opts.prefix + i, input;
			if (f.type === 'select') {
				input = h('select', { id: id, name: f.name }, [h('option', { value: '', text: t('choose') })].concat(
					(f.options || []).map(function (o) { return h('option', { value: o, text: o }); })));
			} else if (f.type === 'textarea') {
				input = h('textarea', { id: id, name: f.name, rows: '4', maxlength: '2000', class: 'k-area' });
			} else {
				input = h('input', { id: id, name: f.name, type: f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : 'text',
					autocomplete: f.type === 'phone' ? 'tel' : f.type === 'email' ? 'email' : 'off', maxlength: '200' });
			}
			if (f.required) input.setAttribute('aria-required', 'true');
			var errEl = h('div', { class: 'k-err', id: id + '-err', 'aria-live': 'polite' });
			input.setAttribute('aria-describedby', id + '-err');
			inputs[f.name] = { input: input, err: errEl, field: f };
			form.appendChild(h('div', { class: 'k-field' }, [h('label', { for: id }, [f.label, f.required ? h('span', { class: 'k-req', 'aria-hidden': 'true', text: ' *' }) : null]), input, errEl]));
		});
		var submit = h('button', { type: 'submit', class: 'k-primary' }, [opts.submit]);
		var formErr = h('div', { class: 'k-err', role: 'alert' });
		form.appendChild(formErr);
		form.appendChild(submit);
		form.addEventListener('submit', function (e) {
			e.preventDefault();
			var values = {}, first = null;
			Object.keys(inputs).forEach(function (n) {
				var x = inputs[n], v = x.input.value.trim(), msg = '';
				if (x.field.required && !v) msg = t('required');
				else if (v && x.field.type === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) msg = t('badEmail');
				else if (v && x.field.type === 'phone' && !/^\+?[0-9 ()-]{5,20}$/.test(v)) msg = t('badPhone');
				x.err.textContent = msg;
				x.input.setAttribute('aria-invalid', msg ? 'true' : 'false');
				if (msg && !first) first = x.input;
				if (v) values[n] = v;
			});
			formErr.textContent = '';
			if (first) { first.focus(); return; }
			if (PREVIEW) return;
			submit.disabled = true;
			opts.onSubmit(values).then(function () { opts.onDone(form); }, function (err) {
				submit.disabled = false;
				// The server names the field it refused ("fields.email", "prechat.email"): say so beside it.
				var name = err.code === 'invalid_field' && err.field ? err.field.replace(/^(fields|prechat)\./, '') : null;
				var x = name && inputs[name];
				if (x) {
					x.err.textContent = t('invalid');
					x.input.setAttribute('aria-invalid', 'true');
					x.input.focus();
				} else formErr.textContent = explain(err);
			});
		});
		return form;
	}

	W.fieldForm = fieldForm;
});
