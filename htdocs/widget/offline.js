// htdocs/widget/offline.js: nobody can answer (offline, out of hours): one notice, no composer, the leave-a-message form or a retry.
window.kefuWidget && window.kefuWidget.module(function (W, S, ui, t, h, store, KEY, PREVIEW, tell, emit, api, explain) {
	'use strict';

	// Nobody can answer (offline or out of hours): one notice, and no composer, since messages
	// would reach nobody: the leave-a-message form takes its place (or a way to try again).
	// local: said before any conversation (when the panel opens); else the conversation's status
	// event, after which the server sends the rule's text itself (texts.offline: null built-in,
	// "" none), so the widget adds its own only when there is none and nothing was said yet.
	function nobodyHere(status, local) {
		var texts = (S.channel && S.channel.texts) || {};
		var own = status === 'out_of_hours' ? texts.out_of_hours : texts.offline;
		if (local && !S.offlineSaid) {
			var text = own || t(status);
			W.note(text, 'offline');
			S.offlineSaid = own ? text : null;
			if (!own) S.offlineSaid = '\u0000local';
		} else if (!local && own === '' && !S.offlineSaid) {
			W.note(t(status), 'offline');
			S.offlineSaid = '\u0000local';
		}
		W.setComposer(false);
		if (local && store.get('left') === 'pre') {
			S.left = true;
			W.note(t('leaveThanks'), 'thanks');
		} else if (S.channel && S.channel.leave_message) {
			if (local) W.openLeave(false);
			else S.wantLeave = true;
		} else if (!ui.list.querySelector('.k-retry')) {
			var b = h('button', { type: 'button', class: 'k-primary k-retry', onclick: function () {
				api('GET', '/api/v1/widget/channels/' + encodeURIComponent(KEY)).then(function (ch) {
					W.applyChannel(ch);
					b.parentNode.remove();
					W.forgetConversation();
					W.fresh();
				}, function (err) { W.note(explain(err), 'error'); });
			} }, [t('retry')]);
			ui.list.appendChild(h('li', { class: 'k-note' }, [b]));
			W.scroll();
		}
	}

	function afterEvents() {
		// The visitor's own message (whose POST answer may come after the poll
		// brought the status) goes above the form.
		if (!S.wantLeave || S.sending) return;
		S.wantLeave = false;
		if (S.status === 'offline' || S.status === 'out_of_hours') W.openLeave(false);
	}

	Object.assign(W, { nobodyHere: nobodyHere, afterEvents: afterEvents });
});
