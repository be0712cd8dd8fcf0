// htdocs/widget/prechat.js: before connecting: the visitor's group choice and the pre-chat form.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

	function prechatForm(fields, onSubmit) {
		var greets = S.channel && S.channel.texts && S.channel.texts.welcome;
		return W.fieldForm(fields, { prefix: 'k-f', hello: greets ? '' : t('welcome'), submit: t('start'), onSubmit: onSubmit,
			onDone: function (form) { form.remove(); ui.text.focus(); } });
	}

	function choiceStep(choice, next) {
		var prompt = h('p', { class: 'k-hello', id: 'k-choice-prompt', text: choice.prompt || t('choose') });
		var box = h('div', { class: 'k-choice', role: 'group', 'aria-labelledby': 'k-choice-prompt' }, [prompt]);
		(choice.groups || []).forEach(function (g) {
			// A group with nobody online says so on its button; choosing it leads to the leave-a-message form.
			var away = g.online === false;
			box.appendChild(h('button', { type: 'button', class: 'k-choicebtn' + (away ? ' k-choice-off' : ''), 'data-group': String(g.id), onclick: function () {
				S.groupId = g.id;
				row.remove();
				W.note(t('chose', { name: g.name }));
				if (away) W.nobodyHere('offline', true);
				else next();
			} }, [away ? t('groupOffline', { name: g.name }) : g.name]));
		});
		var row = h('li', { class: 'k-formrow' }, [box]);
		ui.list.appendChild(row);
		if (S.open) W.focusFirst(box);
	}

	function connectStep() {
		var fields = (S.channel && S.channel.prechat_fields) || [];
		if (fields.length) {
			W.setComposer(false);
			var form = prechatForm(fields, function (values) { return W.startConversation(values); });
			ui.list.appendChild(h('li', { class: 'k-formrow' }, [form]));
			var first = form.querySelector('input,select');
			if (first && S.open) first.focus();
		} else {
			W.setComposer(true);
			if (S.groupId != null && S.open) ui.text.focus();
		}
		W.scroll();
	}

	Object.assign(W, { prechatForm: prechatForm, choiceStep: choiceStep, connectStep: connectStep });
});
