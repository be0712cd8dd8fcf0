// docs/openapi/source.mjs: the compact source of docs/openapi.json (tools/openapi-gen writes it; never edit the JSON).
//
// One op() line per route of the router (src/http/routes.c and the tables it
// lists) under /api/ plus /healthz and /metrics. `auth` is the route's
// AUTH_* value in lower case and `body` its BODY_* kind: the unit test
// tests/unit/test_openapi.c holds both against the compiled route table.
// Object schemas list the fields the API contract fixes as required and
// leave the rest open: fields may be added, never renamed or dropped.

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });
const str = (extra = {}) => ({ type: 'string', ...extra });
const int = (extra = {}) => ({ type: 'integer', ...extra });
const num = { type: 'number' };
const bool = { type: 'boolean' };
const id = { type: 'integer', minimum: 1, description: '64-bit id, never reused' };
const time = { type: 'string', format: 'date-time' };
const nullable = (s) => ({ oneOf: [s, { type: 'null' }] });
const arr = (items) => ({ type: 'array', items });
const obj = (required, properties = {}, extra = {}) => ({ type: 'object', required, properties, ...extra });
const open = { type: 'object' };
const list = (item) => obj(['items'], { items: arr(item) });
const paged = (item, cursor = 'next_after') => obj(['items', cursor], { items: arr(item), [cursor]: nullable(int()) });

const schemas = {
	Error: obj(['error'], {
		error: obj(['code', 'message'], {
			code: str({ pattern: '^[a-z][a-z0-9_]*$', examples: ['invalid_field'] }),
			message: str({ description: 'text for a person' }),
			field: str({ description: 'the one input field at fault, where there is one (the first, when there are more)' }),
			fields: arr(obj(['field', 'message'], { field: str(), message: str() }, {
				description: 'every input field at fault with its own message, where the check reports them all (assignment rules, conversation groups, users, agent groups and channels do); the first is `field`',
			})),
		}),
	}, { description: 'Every error answer, with an HTTP status from the table in the API contract.' }),
	Ref: obj(['id', 'name'], { id, name: str() }),
	Cond: obj(['field', 'op'], {
		field: str({ examples: ['visitor.phone', 'prechat.order', 'account.level'] }),
		op: str({ enum: ['eq', 'ne', 'contains', 'prefix', 'in', 'exists', 'gte', 'lte'] }),
		value: {},
	}),
	Match: obj(['all'], { all: arr(ref('Cond')) }),
	User: obj(['id', 'login', 'name', 'role'], {
		id, login: str(), name: str(), role: str({ enum: ['admin', 'agent'] }),
		department_ids: arr(id), external_id: nullable(str()),
		email: nullable(str({ format: 'email', maxLength: 254, description: 'where kefu mails the user: left messages of their groups, the digest' })),
		leave_digest: { ...bool, description: 'a daily mail of the open left messages (needs an email)' },
	}, { description: 'The password is never returned.' }),
	UserInput: obj([], {
		login: str(), name: str(), password: str({ writeOnly: true }), role: str({ enum: ['admin', 'agent'] }),
		department_ids: arr(id), external_id: str(),
		email: nullable(str({ format: 'email', maxLength: 254, description: 'a plain address (local@domain, no display name); null clears it; a malformed one is 400 invalid_field' })),
		leave_digest: bool,
	}),
	Department: obj(['id', 'name'], { id, name: str(), parent_id: nullable(id), external_id: nullable(str()) }),
	DepartmentInput: obj([], { name: str(), parent_id: nullable(id), external_id: str() }),
	ServiceHours: obj([], {
		timezone: str({ examples: ['Asia/Shanghai'] }),
		weekly: { type: 'object', additionalProperties: arr(arr(str({ pattern: '^\\d\\d:\\d\\d$' }))) },
		closed_dates: arr(str({ format: 'date' })),
	}),
	Group: obj(['id', 'name', 'member_user_ids', 'member_department_ids'], {
		id, name: str(), member_user_ids: arr(id), member_department_ids: arr(id),
		service_hours: nullable(ref('ServiceHours')), effective_member_ids: arr(id),
	}),
	GroupInput: obj([], { name: str(), member_user_ids: arr(id), member_department_ids: arr(id), service_hours: nullable(ref('ServiceHours')) }),
	ChannelStyle: obj([], {
		theme_color: str({ pattern: '^#[0-9a-fA-F]{6}$' }), button_label: str(),
		button_style: str({ enum: ['bubble', 'tab', 'bar'] }), icon: str(), position: str({ enum: ['right', 'left'] }),
	}),
	PrechatField: obj(['name'], {
		name: str(), label: str(), type: str({ enum: ['text', 'textarea', 'phone', 'email', 'select'] }), options: arr(str()), required: bool,
	}),
	Channel: obj(['id', 'key', 'name'], {
		id, key: str({ description: 'the public channel key' }), name: str(), allowed_origins: arr(str()),
		style: ref('ChannelStyle'), prechat_fields: arr(ref('PrechatField')),
		notify_email: nullable(str({ format: 'email', maxLength: 254, description: 'left messages on the channel are mailed here too, in addition to its groups\' members with an address' })),
		tracking: { ...bool, description: 'visitor insight: page views, the live list, invitations (off for a new channel)' },
	}),
	ChannelInput: obj([], {
		name: str(), allowed_origins: arr(str()), style: ref('ChannelStyle'), prechat_fields: arr(ref('PrechatField')),
		notify_email: nullable(str({ format: 'email', maxLength: 254, description: 'a plain address (local@domain); null clears it; absent keeps it; a malformed one is 400 invalid_field' })),
		tracking: { ...bool, description: 'visitor insight on or off; absent keeps it' },
	}),
	LiveVisitor: obj(['visitor_id', 'identified', 'channel', 'page', 'pages_viewed', 'first_seen_at', 'browser', 'os', 'device'], {
		visitor_id: id, name: str(), identified: bool, channel: obj(['id', 'name'], { id, name: nullable(str()) }),
		page: obj(['url', 'title', 'since'], { url: nullable(str()), title: nullable(str()), since: nullable(time) }),
		pages_viewed: int({ minimum: 0 }), first_seen_at: time, referrer: str(),
		browser: obj(['name', 'version'], { name: str({ examples: ['Chrome', 'WeChat', 'Googlebot', 'Other'] }), version: str() }),
		os: str({ examples: ['Windows', 'macOS', 'iOS', 'iPadOS', 'Android', 'Linux', 'ChromeOS', 'Other'] }),
		device: str({ enum: ['desktop', 'mobile', 'tablet'] }), locale: str(), conversation_id: id,
		invitation: obj(['id', 'status'], { id, status: str({ enum: ['sent', 'dismissed', 'accepted'] }) }),
		returning: { ...bool, description: 'page views in more than one session (30 minutes apart)' },
		live: bool, last_seen_at: nullable(time),
		appeared_at: nullable({ ...time, description: 'when this appearance began (the live list\'s order, newest first); null when not live' }),
		address: str({ description: 'as the web server saw it, behind trusted_proxies; masked ("203.0.113.x", "2001:db8:1::/48") unless the tenant\'s mask_visitor_address (/admin/retention) is false', examples: ['203.0.113.x', '2001:db8:1::/48', '203.0.113.7'] }),
		country: str({ description: 'ISO 3166-1 alpha-2 code from the operator\'s MaxMind-format database (geoip_database); absent without one or when it does not know the address', examples: ['CN', 'DE'] }),
		city: str({ description: 'the city\'s English name from the same database, when it has one' }),
	}),
	Pageview: obj(['url', 'title', 'at'], {
		url: str(), title: nullable(str()), at: time, referrer: nullable(str()),
		seconds: nullable(int({ minimum: 0, description: 'time on the page: until the next view; null for the newest' })),
	}),
	Trigger: obj(['id', 'name', 'enabled', 'match', 'after_seconds', 'text', 'once_per_hours'], {
		id, channel_id: id, name: str(), enabled: bool, match: { oneOf: [{ const: 'all' }, ref('Match')] },
		after_seconds: int({ minimum: 0, maximum: 3600 }), text: str(), once_per_hours: int({ minimum: 1 }), created_at: time, updated_at: time,
	}),
	TriggerInput: obj([], {
		name: str({ minLength: 1, maxLength: 200 }), enabled: bool,
		match: { oneOf: [{ const: 'all' }, ref('Match')], description: 'COND fields also page.url, page.title, page.referrer; visitor.pages_viewed, visitor.device, visitor.returning' },
		after_seconds: int({ minimum: 0, maximum: 3600 }), text: str({ minLength: 1, maxLength: 2000 }), once_per_hours: int({ minimum: 1, maximum: 8760 }),
	}),
	Identity: obj(['enabled'], {
		enabled: bool, key_masked: nullable(str()), match_fields: arr(str()),
		auto_link: obj([], { enabled: bool, contact_fields: arr(str()) }), require_v2: bool,
	}),
	Rule: obj(['id', 'name', 'priority'], {
		id, name: str(), priority: int(), channel_ids: arr(id), welcome_message: nullable(str()), promo_message: nullable(str()),
		max_concurrent: nullable(int()), require_identity: bool, routing: open,
		strategy: str({ enum: ['load', 'round_robin', 'idle', 'account_owner', 'contact_owner'] }),
		owner_fallback: str({ enum: ['load', 'queue'] }), messages: open, leave_message: open,
	}),
	RuleInput: obj([], {
		name: str(), priority: int(), channel_ids: arr(id), welcome_message: str(), promo_message: str(), max_concurrent: int(),
		require_identity: bool,
		routing: obj([], {
			mode: str({ enum: ['rules', 'visitor_choice'] }),
			routes: arr(obj(['group_id', 'match'], { group_id: id, match: { oneOf: [{ const: 'all' }, ref('Match')] } })),
			fallback_group_id: nullable(id), choice_prompt: str(), choice_group_ids: arr(id),
		}),
		strategy: str({ enum: ['load', 'round_robin', 'idle', 'account_owner', 'contact_owner'] }),
		owner_fallback: str({ enum: ['load', 'queue'] }),
		messages: obj([], {
			all_busy: obj([], { enabled: bool, text: str() }), all_offline: obj([], { enabled: bool, text: str() }),
			out_of_hours: obj([], { enabled: bool, text: str() }),
		}),
		leave_message: obj([], { enabled: bool, fields: arr(ref('PrechatField')) }),
	}),
	ConversationGroup: obj(['id', 'name', 'priority'], { id, name: str(), priority: int(), match: { oneOf: [{ const: 'all' }, ref('Match')] } }),
	ConversationGroupInput: obj([], { name: str(), priority: int(), match: { oneOf: [{ const: 'all' }, ref('Match')] } }),
	QuickButton: obj(['id', 'name'], {
		id, name: str(), icon: nullable(str()), channel_ids: arr(id), visible_roles: arr(str()), object: str(),
		filter: ref('Match'), template: str(),
	}),
	QuickButtonInput: obj([], {
		name: str(), icon: str(), channel_ids: arr(id), visible_roles: arr(str()), object: str(), filter: ref('Match'), template: str(),
	}),
	Sidebar: obj(['objects'], { objects: arr(obj(['object', 'fields'], { object: str(), fields: arr(str()) })) }),
	ApiKey: obj(['id', 'name', 'scopes'], {
		id, name: str(), scopes: arr(str({ enum: ['admin', 'crm'] })), prefix: str({ description: 'the key\'s first characters, to tell keys apart' }),
		created_at: time, last_used_at: nullable(time),
		key: str({ description: 'the secret, only in the answer to the create' }),
	}),
	ApiKeyInput: obj([], { name: str(), scopes: arr(str({ enum: ['admin', 'crm'] })) }),
	Webhook: obj(['id', 'url', 'events', 'enabled'], {
		id, url: str({ format: 'uri' }), events: arr(str()), enabled: bool,
		secret: str({ description: 'the HMAC secret (see docs/webhooks.md)' }),
	}),
	WebhookInput: obj([], { url: str({ format: 'uri' }), events: arr(str()), enabled: bool }),
	Delivery: obj(['id', 'event', 'status'], {
		id, event: str(), status: str(), attempts: int(), last_status: nullable(int()), last_error: nullable(str()),
		created_at: time, delivered_at: nullable(time), next_attempt_at: nullable(time),
	}),
	CannedReply: obj(['id', 'text'], {
		id, scope: str(), owner_user_id: nullable(id), shortcut: nullable(str()), title: nullable(str()), text: str(),
		created_at: time, updated_at: time,
	}),
	CannedReplyInput: obj([], { shortcut: str(), title: str(), text: str() }),
	AuditEntry: obj(['id', 'actor', 'action', 'object_type', 'created_at'], {
		id, actor: obj(['type'], { type: str({ examples: ['user', 'api_key', 'cli'] }), id: nullable(id), name: nullable(str()) }),
		action: str(), object_type: str(), object_id: nullable(id), summary: open, created_at: time,
	}),
	Retention: obj(['messages_days', 'attachments_days', 'pageviews_days', 'leave_messages_days'], {
		messages_days: int({ minimum: 0 }), attachments_days: int({ minimum: 0 }), pageviews_days: int({ minimum: 0 }),
		leave_messages_days: int({ minimum: 0 }),
		mask_visitor_address: { ...bool, description: 'agents see a visitor\'s address masked to its network (true unless set false); absent in a PUT keeps it' },
	}, { description: 'Days to keep each kind of data; 0 keeps it forever. And whether agents see visitors\' addresses masked.' }),
	Presence: obj([], { heartbeat_s: int(), away_after_s: int(), offline_after_s: int(), long_wait_s: int({ minimum: 5, description: 'a conversation waiting unanswered this long is marked in the workbench' }) }),
	AgentPrefs: obj(['alert_sound'], { alert_sound: bool }),
	CrmField: obj(['name', 'type'], { name: str(), label: str(), type: str({ enum: ['text', 'number', 'date', 'ref'] }), custom: bool }),
	CrmObject: obj(['object', 'fields'], { object: str(), api_name: str(), label: str(), fields: arr(ref('CrmField')) }),
	CrmRecord: obj(['id', 'external_id', 'fields'], {
		id, external_id: nullable(str()), owner_user_id: nullable(id), fields: { type: 'object' },
	}),
	CrmRecordInput: obj(['fields'], {
		fields: { type: 'object', description: 'reference fields take our id or {"external_id": "..."}' },
		owner_external_id: str(), owner_user_id: id,
	}),
	CrmUserInput: obj([], {
		login: str(), name: str(), password: str({ writeOnly: true }), role: str({ enum: ['admin', 'agent'] }),
		department_external_ids: arr(str()),
		email: nullable(str({ format: 'email', maxLength: 254 })), leave_digest: bool,
	}),
	CrmDepartmentInput: obj([], { name: str(), parent_external_id: nullable(str()) }),
	WidgetChannel: obj(['name', 'style', 'prechat_fields', 'online', 'open_now', 'choice', 'leave_message'], {
		name: str(), style: ref('ChannelStyle'), prechat_fields: arr(ref('PrechatField')), online: bool, open_now: bool,
		tracking: { ...bool, description: 'visitor insight is on: the loader reports page views and holds the visitor\'s poll' },
		choice: nullable(obj(['prompt', 'groups'], { prompt: nullable(str()), groups: arr({ allOf: [ref('Ref')], type: 'object', properties: { online: { type: 'boolean', description: 'someone there can chat now' } } }) })),
		leave_message: nullable(obj(['fields'], { fields: arr(ref('PrechatField')) })),
		texts: obj(['welcome', 'promo'], {
			welcome: str(), promo: str({ description: 'sent as system messages when a conversation starts; "" for none' }),
			offline: nullable(str({ description: 'the text sent when nobody is online: null for the built-in one, "" for none' })),
			out_of_hours: nullable(str()),
		}),
	}),
	VisitorRegistration: obj([], {
		visitor_token: str(), custom_params: str({ pattern: '^[0-9a-fA-F]*$', description: 'identity ciphertext or a v2 token' }),
		page_url: str(), referrer: str(), locale: str(), attributes: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
	}),
	Visitor: obj(['visitor_id', 'visitor_token', 'identified', 'roles'], {
		visitor_id: id, visitor_token: str(), identified: bool, name: nullable(str()), roles: arr(str()),
		contact_id: nullable(id), account_id: nullable(id),
		email: str({ format: 'email', description: 'an identified visitor\'s address from the identity (its `email`), which the widget offers for the transcript mail' }),
	}),
	Attachment: obj(['id', 'name', 'size', 'mime', 'url'], { id, name: str(), size: int({ minimum: 0 }), mime: str(), url: str() }),
	Card: obj(['title', 'lines'], { object: str(), record_id: id, title: str(), lines: arr(str()) }),
	Message: obj(['id', 'sender', 'kind', 'created_at'], {
		id, sender: str({ enum: ['visitor', 'agent', 'system'] }), agent: nullable(ref('Ref')),
		kind: str({ enum: ['text', 'image', 'file', 'card'] }), text: nullable(str()), attachment: ref('Attachment'),
		card: ref('Card'), created_at: time,
	}),
	MessageInput: {
		oneOf: [
			obj(['kind', 'text'], { kind: { const: 'text' }, text: str({ minLength: 1 }) }),
			obj(['kind', 'button_id', 'record_id'], { kind: { const: 'card' }, button_id: id, record_id: id }),
		],
	},
	Event: obj(['seq', 'type'], {
		seq: int(), type: str({ examples: ['message', 'status', 'typing', 'read', 'invitation', 'visitor', 'visitor_left', 'note', 'tag'] }),
		conversation_id: id, message: ref('Message'),
		status: str({ enum: ['assigned', 'queued', 'transferred', 'offline', 'out_of_hours', 'closed'] }),
		agent: nullable(open), queue_position: nullable(int()),
		note: { ...open, description: 'type note (agent streams only): a NOTE another staff member wrote on the conversation' },
		action: str({ enum: ['added', 'removed'] }),
		tag: { ...open, description: 'type tag (agent streams only): the TAG added (or, removed, its id)' },
	}, { description: 'More event types may be added; a client ignores those it does not know. Notes and tags are never in the visitor\'s stream.' }),
	Events: obj(['events', 'next'], { events: arr(ref('Event')), next: int() }),
	ConversationStart: obj(['channel_key'], { channel_key: str(), prechat: { type: 'object' }, group_id: id, invitation_id: id }),
	Conversation: obj(['id', 'status', 'agent', 'queue_position'], {
		id, status: str({ enum: ['assigned', 'queued', 'offline', 'out_of_hours', 'closed'] }),
		agent: nullable(ref('Ref')), queue_position: nullable(int({ minimum: 1 })), channel_id: id, created_at: time,
		closed_at: nullable(time), resumed: { type: 'boolean', description: 'the start answered with a live conversation of this visitor' },
	}),
	AgentConversationDetail: {
		allOf: [ref('Conversation')],
		type: 'object',
		required: ['visitor'],
		properties: {
			visitor: obj(['id', 'identified'], {
				id, name: nullable(str()), page_url: nullable(str()), identified: bool, locale: nullable(str()), attributes: nullable(open),
				facts: obj(['device', 'returning', 'identified'], {
					browser: nullable(str({ examples: ['Chrome', 'Safari', 'WeChat'] })), browser_version: nullable(str()),
					os: nullable(str({ examples: ['Windows', 'macOS', 'iOS', 'Android'] })),
					device: nullable(str({ enum: ['desktop', 'mobile', 'tablet'] })), language: nullable(str()), referrer: nullable(str()),
					page_url: nullable(str()), page_title: nullable(str()),
					page_since: nullable({ ...time, description: 'since when the visitor is on that page: the tracked page view\'s start, else the widget\'s last load' }),
					first_seen_at: nullable(time), previous_conversations: int({ minimum: 0 }),
					visits: int({ minimum: 0, description: 'sessions counted by page views (0 when the channel does not track visitors)' }),
					live: { ...bool, description: 'on the site now (channels that track visitors)' },
					returning: { ...bool, description: 'an earlier conversation or visit, or first seen 30 minutes or more before this one' }, identified: bool,
				}, { description: 'What the conversation header shows; null where the widget did not say (no User-Agent, no referrer).' }),
			}),
			prechat: open, agent_read_seq: int({ minimum: 0 }), visitor_read_seq: int({ minimum: 0 }),
			prechat_labels: { type: 'object', additionalProperties: str(), description: 'the channel\'s pre-chat field labels by field name (answers are keyed by name)' },
		},
	},
	AdminConversation: obj(['id', 'status', 'channel', 'created_at'], {
		id, status: str(), channel: ref('Ref'), visitor: obj(['id'], { id, name: nullable(str()) }), agent: nullable(ref('Ref')),
		created_at: time, closed_at: nullable(time), messages: int({ minimum: 0 }), rating: nullable(int({ minimum: 1, maximum: 5 })),
		last_text: nullable(str()), tags: arr(ref('Tag')),
	}),
	Tag: obj(['id', 'name'], {
		id, name: str({ maxLength: 64 }), color: nullable(str({ pattern: '^#[0-9a-fA-F]{6}$' })),
		conversations: int({ minimum: 0, description: 'how many conversations carry it (in lists of the vocabulary)' }),
	}),
	TagInput: obj([], { name: str({ minLength: 1, maxLength: 64, description: 'trimmed; unique in the tenant, case-insensitively (409 when taken)' }), color: nullable(str({ pattern: '^#[0-9a-fA-F]{6}$' })) }),
	Note: obj(['id', 'kind', 'text', 'author', 'created_at'], {
		id, kind: str({ enum: ['transfer', 'note'], description: '`transfer`: written with a handover; `note`: an internal note' }), text: str(),
		author: nullable(ref('Ref')), created_at: time,
		after_message_id: nullable({ ...id, description: 'the conversation\'s last message when the note was written: where it sits among the messages' }),
	}, { description: 'Staff only: never on the visitor\'s stream nor in the visitor\'s transcript.' }),
	Typing: obj(['typing'], { typing: bool, sent: bool, interval_ms: int({ description: 'send again at most this often while typing' }) }),
	RatingView: obj(['conversation_id', 'score'], {
		conversation_id: id, score: int({ minimum: 1, maximum: 5 }), comment: nullable(str()), agent_id: nullable(id), created_at: time,
	}),
	RatingStat: obj(['count', 'average'], { count: int({ minimum: 0 }), average: nullable(num) }),
	ReportStat: obj(['avg', 'p50', 'p90'], { avg: nullable(num), p50: nullable(num), p90: nullable(num) }, {
		description: 'seconds: the mean and the nearest-rank 50th and 90th percentiles; null over nothing (docs/reports.md)',
	}),
	ReportCsat: obj(['count', 'avg', 'distribution'], {
		count: int(), avg: nullable(num),
		distribution: obj(['1', '2', '3', '4', '5'], { 1: int(), 2: int(), 3: int(), 4: int(), 5: int() }),
	}),
	ReportSummary: obj(['conversations', 'assigned', 'missed', 'offline', 'out_of_hours', 'leave_messages', 'transfers', 'messages',
		'wait_seconds', 'first_response_seconds', 'handle_seconds', 'csat'], {
		conversations: int(), assigned: int(), missed: int(), offline: int(), out_of_hours: int(), leave_messages: int(), transfers: int(),
		messages: obj(['visitor', 'agent'], { visitor: int(), agent: int() }),
		wait_seconds: ref('ReportStat'), first_response_seconds: ref('ReportStat'), handle_seconds: ref('ReportStat'),
		wait_seconds_business: ref('ReportStat'), first_response_seconds_business: ref('ReportStat'), handle_seconds_business: ref('ReportStat'),
		csat: ref('ReportCsat'),
		invitations: obj(['sent', 'accepted', 'dismissed', 'proactive', 'by_agents'], {
			sent: int(), accepted: int(), dismissed: int(), proactive: int(), by_agents: int(),
		}, { description: 'invitations to chat sent in the range, by the day they were sent, and what became of them (docs/reports.md)' }),
	}, { description: 'Every figure is defined in docs/reports.md.' }),
	ReportAgent: obj(['agent', 'conversations', 'first_response_seconds', 'handle_seconds', 'csat', 'online_seconds', 'away_seconds'], {
		agent: ref('Ref'), conversations: int(), first_response_seconds: ref('ReportStat'), handle_seconds: ref('ReportStat'),
		csat: ref('ReportCsat'), online_seconds: num, away_seconds: num,
		first_response_seconds_business: ref('ReportStat'), handle_seconds_business: ref('ReportStat'),
	}),
	ReportSeries: obj(['points'], {
		points: arr(obj(['t', 'value'], { t: str({ format: 'date-time', description: 'the interval\'s start, with the offset in force there' }), value: nullable(num) })),
	}),
	ReportRealtime: obj(['waiting', 'longest_wait_seconds', 'live_conversations', 'agents', 'by_group'], {
		waiting: int(), longest_wait_seconds: nullable(num), live_conversations: int(),
		agents: obj(['online', 'away', 'offline'], { online: int(), away: int(), offline: int() }),
		by_group: arr(obj(['group', 'waiting', 'live', 'agents_online'], { group: ref('Ref'), waiting: int(), live: int(), agents_online: int() })),
	}),
	RatingsReport: obj(['overall', 'by_agent', 'by_day'], {
		overall: ref('RatingStat'),
		by_agent: arr({ allOf: [ref('RatingStat')], type: 'object', required: ['agent'], properties: { agent: ref('Ref') } }),
		by_day: arr({ allOf: [ref('RatingStat')], type: 'object', required: ['day'], properties: { day: str({ format: 'date' }) } }),
	}),
	Directory: obj(['agents', 'groups'], {
		agents: arr(obj(['id', 'name', 'status'], {
			id, name: str(), status: str({ enum: ['online', 'away', 'offline'] }), me: bool,
			active: int({ minimum: 0, description: 'live (assigned) conversations' }),
			capacity: nullable(int({ description: 'the maximum under the rule of `conversation_id` (null without one or without a limit)' })),
			available: { type: 'boolean', description: 'online and below capacity: a transfer to them can succeed' },
		})),
		groups: arr(ref('Ref')),
	}),
	AgentConversation: obj(['id', 'status'], { id, status: str(), visitor: open, last_message: nullable(open), unread: int(), tags: arr(ref('Tag')) }),
	AgentGroups: obj(['groups'], {
		groups: arr(obj(['id', 'name', 'conversations'], { id: nullable(id), name: str(), conversations: arr(ref('AgentConversation')) })),
	}),
	Rating: obj(['score'], { score: int({ minimum: 1, maximum: 5 }), comment: nullable(str()) }),
	LeaveMessage: obj(['id', 'fields'], {
		id, channel_id: id, visitor_id: nullable(id), fields: { type: 'object' }, status: str(), created_at: time,
		field_labels: { type: 'object', additionalProperties: str(), description: 'the rule\'s leave-message field labels by field name (in the agent inbox)' },
	}),
	Me: obj(['id', 'name', 'role'], {
		id, name: str(), role: str({ enum: ['admin', 'agent'] }), status: str({ enum: ['online', 'away', 'offline'] }),
		tenant_id: id, lang: str(), csrf_token: str({ description: 'the session\'s CSRF token' }),
	}),
	Status: obj(['status'], { status: str({ enum: ['online', 'away', 'offline'] }) }),
	Login: obj(['user', 'csrf_token'], { user: obj(['id', 'name', 'role'], { id, name: str(), role: str({ enum: ['admin', 'agent'] }) }), csrf_token: str() }),
	SidebarView: obj(['objects'], {
		objects: arr(obj(['object', 'records'], {
			object: str(), label: str(),
			records: arr(obj(['id', 'fields'], { id, fields: arr(obj(['name', 'value'], { name: str(), label: str(), value: {} })) })),
		})),
	}),
	Export: obj(['visitor', 'registrations', 'pageviews', 'conversations', 'ratings', 'leave_messages'], {
		visitor: open, registrations: arr(open), pageviews: arr(open), invitations: arr(open),
		conversations: arr(obj(['id', 'status', 'messages'], { id, status: str(), created_at: time, messages: arr(ref('Message')), notes: arr(ref('Note')) })),
		ratings: arr(open), leave_messages: arr(open),
	}),
	WebhookConversation: obj(['id', 'status', 'channel_id', 'visitor_id', 'agent', 'group_id', 'prechat', 'created_at', 'closed_at'], {
		id, status: str({ enum: ['assigned', 'queued', 'offline', 'out_of_hours', 'closed'] }), channel_id: id, visitor_id: id,
		agent: nullable(obj(['id', 'name'], { id, name: nullable(str()) })), group_id: nullable(id), prechat: open,
		created_at: time, closed_at: nullable(time),
	}),
	Health: obj(['status', 'db'], { status: str({ enum: ['ok', 'unavailable'] }), db: str({ enum: ['ok', 'unavailable'] }) }),
};

const ERRORS = {
	400: 'malformed JSON, a wrong type, a missing or invalid field (`invalid_json`, `invalid_field`, `invalid_utf8`)',
	401: 'no or bad credentials (`unauthenticated`)',
	403: 'not allowed: role, scope, CSRF or origin (`forbidden`, `csrf`, `origin_not_allowed`)',
	404: 'no such object in the caller\'s tenant (`not_found`)',
	409: 'conflict with the current state (`conflict`, `capacity`; `conflict` with field `user_id` for a transfer to an agent who is away or offline)',
	413: 'body over the route\'s limit (`too_large`)',
	415: 'unsupported upload type (`unsupported_type`)',
	429: 'rate limited, with `Retry-After` (`rate_limited`)',
	503: 'the database is unreachable and the request had no effect, with `Retry-After` (`unavailable`)',
};

const SECURITY = {
	none: [],
	staff: [{ session: [] }],
	admin: [{ session: [] }, { apiKey: [] }],
	crm: [{ apiKey: [] }],
	crm_admin: [{ apiKey: [] }, { session: [] }],
	visitor: [{ visitorToken: [] }],
	visitor_token: [{ visitorToken: [] }],
	metrics: [{ apiKey: [] }, {}],
};
const AUTH_NOTE = {
	staff: 'An agent\'s or admin\'s session.',
	admin: 'An admin\'s session or a key with scope `admin`.',
	crm: 'A key with scope `crm`.',
	crm_admin: 'A key with scope `crm` or `admin`, or an admin\'s session.',
	visitor: 'The widget visitor\'s `X-Visitor-Token`.',
	visitor_token: 'The widget visitor\'s `X-Visitor-Token`.',
	metrics: 'Callers on loopback, and keys with scope `admin`.',
};

const paths = {};
const PARAM_NOTE = {
	id: 'a numeric id', key: 'a public channel key', object: 'a CRM object\'s api name, e.g. `AccountObj`',
	field: 'a field name', ext: 'the record\'s `external_id`', external: 'the `external_id`',
};

/**
 * One operation. o: {tag, summary, auth, body: schema | 'multipart' | 'empty' | undefined,
 * query: {name: schema}, ok: {status: schema | null | {type, schema}}, errors: [status]}.
 */
function op(method, path, o) {
	const auth = o.auth;
	const operation = {
		tags: [o.tag],
		summary: o.summary,
		operationId: `${method.toLowerCase()}${path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c) => (c || '').toUpperCase())}`,
		'x-kefu-auth': auth,
		security: SECURITY[auth],
	};
	if (o.description || AUTH_NOTE[auth])
		operation.description = [o.description, AUTH_NOTE[auth]].filter(Boolean).join('\n\n');
	const params = [...path.matchAll(/\{(\w+)\}/g)].map(([, n]) => ({
		name: n, in: 'path', required: true, description: PARAM_NOTE[n] || n,
		schema: n.endsWith('id') ? id : str(),
	}));
	for (const [name, schema] of Object.entries(o.query || {}))
		params.push({ name, in: 'query', required: false, schema });
	if (auth === 'session' || auth === 'staff' || auth === 'admin' || auth === 'crm_admin')
		if (method !== 'GET')
			params.push({ name: 'X-CSRF-Token', in: 'header', required: false,
				description: 'the token from login; required with a session cookie, not with an API key', schema: str() });
	if (params.length)
		operation.parameters = params;
	if (o.body === 'multipart')
		operation.requestBody = {
			required: true,
			content: { 'multipart/form-data': { schema: obj(['file'], { file: str({ contentMediaType: 'application/octet-stream' }) }) } },
		};
	else if (o.body !== undefined)
		operation.requestBody = {
			required: o.bodyRequired ?? false,
			description: o.body === 'empty' ? 'empty, or `{}`' : undefined,
			content: { 'application/json': { schema: o.body === 'empty' ? { type: 'object', maxProperties: 0 } : o.body } },
		};
	const responses = {};
	for (const [status, r] of Object.entries(o.ok)) {
		if (r === null)
			responses[status] = { description: status === '204' ? 'done; no body' : 'see the summary' };
		else if (r.mime)
			responses[status] = { description: 'OK', content: { [r.mime]: { schema: r.schema || str() } } };
		else if (r.csv)
			responses[status] = {
				description: 'OK; with `format=csv` the same as CSV (a header row of the JSON field names, nested ones joined with `_`)',
				content: { 'application/json': { schema: r.csv }, 'text/csv': { schema: str() } },
			};
		else
			responses[status] = { description: 'OK', content: { 'application/json': { schema: r } } };
	}
	const errs = new Set([...(o.errors || []), 503]);
	if (auth !== 'none')
		errs.add(401).add(403);
	if (path.includes('{'))
		errs.add(404);
	if (o.body !== undefined)
		errs.add(400).add(413);
	if (o.body === 'multipart')
		errs.add(415);
	for (const s of [...errs].sort())
		responses[s] = { $ref: `#/components/responses/E${s}` };
	responses.default = { $ref: '#/components/responses/Error' };
	operation.responses = responses;
	paths[path] ??= {};
	if (paths[path][method.toLowerCase()])
		throw new Error(`twice: ${method} ${path}`);
	paths[path][method.toLowerCase()] = operation;
}

/** The five routes of an admin collection. */
function crud(base, tag, thing, schema, input, opts = {}) {
	const auth = opts.auth || 'admin';
	op('GET', base, { tag, auth, summary: `List ${thing}s`, ok: { 200: list(ref(schema)) } });
	op('POST', base, { tag, auth, summary: `Create a ${thing}`, body: ref(input), bodyRequired: true, ok: { 201: ref(schema) }, errors: [409] });
	op('GET', `${base}/{id}`, { tag, auth, summary: `One ${thing}`, ok: { 200: ref(schema) } });
	op('PATCH', `${base}/{id}`, { tag, auth, summary: `Change a ${thing} (partial update)`, body: ref(input), bodyRequired: true, ok: { 200: ref(schema) }, errors: [409] });
	op('DELETE', `${base}/{id}`, { tag, auth, summary: `Delete a ${thing}`, body: opts.deleteBody, ok: { 204: null }, errors: [409] });
}

const since = { after: int({ minimum: 0, description: 'the last `next` seen; 0 or absent for the start' }), wait: int({ minimum: 0, maximum: 30, description: 'seconds to hold the request when nothing is newer; 0 answers at once' }) };

// --- Operations -------------------------------------------------------------
op('GET', '/healthz', { tag: 'operations', auth: 'none', summary: 'Health: the worker and its database', ok: { 200: ref('Health') } });
op('GET', '/metrics', { tag: 'operations', auth: 'metrics', summary: 'Prometheus metrics', ok: { 200: { mime: 'text/plain' } } });
op('GET', '/api/v1/openapi.json', { tag: 'operations', auth: 'none', summary: 'This document', ok: { 200: { type: 'object', required: ['openapi', 'paths'] } } });

// --- Authentication ---------------------------------------------------------
op('POST', '/api/v1/auth/login', {
	tag: 'auth', auth: 'none', summary: 'Sign in; sets the session cookie',
	description: 'Same answer for an unknown login and a wrong password. A cross-site `Origin` or `Sec-Fetch-Site: cross-site` is 403.',
	body: obj(['login', 'password'], { login: str(), password: str() }), bodyRequired: true,
	ok: { 200: ref('Login') }, errors: [401, 403, 429],
});
op('POST', '/api/v1/auth/logout', { tag: 'auth', auth: 'staff', summary: 'Sign out; the session dies server-side', body: 'empty', ok: { 204: null } });
op('GET', '/api/v1/auth/me', {
	tag: 'auth', auth: 'staff', summary: 'The signed-in user',
	ok: { 200: ref('Me') },
});

// --- Admin ------------------------------------------------------------------
crud('/api/v1/admin/channels', 'admin', 'channel', 'Channel', 'ChannelInput', { deleteBody: 'empty' });
op('GET', '/api/v1/admin/channels/{id}/embed', { tag: 'admin', auth: 'admin', summary: 'The snippet to paste before </body>', ok: { 200: obj(['html'], { html: str() }) } });
op('GET', '/api/v1/admin/channels/{id}/identity', { tag: 'admin', auth: 'admin', summary: 'Identity verification settings', ok: { 200: ref('Identity') } });
op('PATCH', '/api/v1/admin/channels/{id}/identity', { tag: 'admin', auth: 'admin', summary: 'Change identity verification settings', body: ref('Identity'), bodyRequired: true, ok: { 200: ref('Identity') } });
op('POST', '/api/v1/admin/channels/{id}/identity/key', { tag: 'admin', auth: 'admin', summary: 'A new identity key (the old one stops working)', body: 'empty', ok: { 201: obj(['key'], { key: str({ contentEncoding: 'base64' }) }) } });
op('GET', '/api/v1/admin/channels/{id}/identity/key', { tag: 'admin', auth: 'admin', summary: 'Reveal the identity key (audited)', ok: { 200: obj(['key'], { key: str() }) } });
crud('/api/v1/admin/users', 'admin', 'user', 'User', 'UserInput');
crud('/api/v1/admin/departments', 'admin', 'department', 'Department', 'DepartmentInput');
crud('/api/v1/admin/groups', 'admin', 'agent group', 'Group', 'GroupInput');
crud('/api/v1/admin/api-keys', 'admin', 'API key', 'ApiKey', 'ApiKeyInput');
op('GET', '/api/v1/admin/audit', { tag: 'admin', auth: 'admin', summary: 'The audit log, newest first', query: { before: int(), limit: int() }, ok: { 200: list(ref('AuditEntry')) } });
crud('/api/v1/admin/quick-buttons', 'admin', 'quick button', 'QuickButton', 'QuickButtonInput');
crud('/api/v1/admin/rules', 'admin', 'assignment rule', 'Rule', 'RuleInput');
crud('/api/v1/admin/conversation-groups', 'admin', 'conversation group', 'ConversationGroup', 'ConversationGroupInput');
crud('/api/v1/admin/webhooks', 'admin', 'webhook', 'Webhook', 'WebhookInput');
crud('/api/v1/admin/tags', 'admin', 'conversation tag', 'Tag', 'TagInput');
op('GET', '/api/v1/admin/webhooks/{id}/deliveries', {
	tag: 'admin', auth: 'admin', summary: 'A webhook\'s deliveries, newest first', query: { before: int(), limit: int() },
	ok: { 200: paged(ref('Delivery'), 'next_before') },
});
crud('/api/v1/admin/canned-replies', 'admin', 'team canned reply', 'CannedReply', 'CannedReplyInput');
op('GET', '/api/v1/admin/sidebar', { tag: 'admin', auth: 'admin', summary: 'The CRM objects and fields of the workbench side panel', ok: { 200: ref('Sidebar') } });
op('PUT', '/api/v1/admin/sidebar', { tag: 'admin', auth: 'admin', summary: 'Set the side panel\'s objects and fields', body: ref('Sidebar'), bodyRequired: true, ok: { 200: ref('Sidebar') } });
op('GET', '/api/v1/admin/reports/ratings', {
	tag: 'admin', auth: 'admin', summary: 'Ratings report', query: { from: str({ format: 'date' }), to: str({ format: 'date' }), tz: str() }, ok: { 200: ref('RatingsReport') },
});
const reportQuery = {
	from: str({ format: 'date', description: 'first local day (default: 6 days before `to`)' }),
	to: str({ format: 'date', description: 'last local day, inclusive (default: today in `tz`)' }),
	tz: str({ description: 'IANA zone of the days (default: the tenant\'s)' }),
	channel_id: int({ minimum: 1 }), group_id: int({ minimum: 0, description: '0: conversations of no group' }),
	agent_id: int({ minimum: 0, description: '0: conversations of no agent' }), format: str({ enum: ['json', 'csv'] }),
};
op('GET', '/api/v1/reports/summary', { tag: 'reports', auth: 'admin', summary: 'Volumes, times and satisfaction over a range of days', query: reportQuery, ok: { 200: { csv: ref('ReportSummary') } }, errors: [400] });
op('GET', '/api/v1/reports/agents', { tag: 'reports', auth: 'admin', summary: 'The summary per agent, with online and away time', query: reportQuery, ok: { 200: { csv: list(ref('ReportAgent')) } }, errors: [400] });
op('GET', '/api/v1/reports/timeseries', {
	tag: 'reports', auth: 'admin', summary: 'One figure per hour or day of the range',
	query: { ...reportQuery, metric: str({ enum: ['conversations', 'missed', 'wait_p50', 'first_response_p50', 'csat_avg'] }), interval: str({ enum: ['hour', 'day'] }) },
	ok: { 200: { csv: ref('ReportSeries') } }, errors: [400],
});
op('GET', '/api/v1/reports/realtime', { tag: 'reports', auth: 'admin', summary: 'Now: waiting, live, agents by status, per group', query: { format: reportQuery.format }, ok: { 200: { csv: ref('ReportRealtime') } } });
op('GET', '/api/v1/admin/conversations', {
	tag: 'admin', auth: 'admin', summary: 'Conversation history, searchable', query: { q: str(), phone: str(), status: str(), agent_id: int(), tag_id: int({ description: 'only conversations carrying this tag' }), from: str({ format: 'date' }), to: str({ format: 'date' }), after: int(), limit: int() },
	ok: { 200: paged(ref('AdminConversation')) },
});
op('GET', '/api/v1/admin/presence', { tag: 'admin', auth: 'admin', summary: 'Presence timing settings', ok: { 200: ref('Presence') } });
op('PUT', '/api/v1/admin/presence', { tag: 'admin', auth: 'admin', summary: 'Set presence timing', body: ref('Presence'), bodyRequired: true, ok: { 200: ref('Presence') } });
op('GET', '/api/v1/admin/retention', { tag: 'privacy', auth: 'admin', summary: 'How long data is kept', ok: { 200: ref('Retention') } });
op('PUT', '/api/v1/admin/retention', { tag: 'privacy', auth: 'admin', summary: 'Set how long data is kept', body: ref('Retention'), bodyRequired: true, ok: { 200: ref('Retention') } });

// --- CRM --------------------------------------------------------------------
op('GET', '/api/v1/crm/objects', { tag: 'crm', auth: 'crm', summary: 'The objects with their field definitions', ok: { 200: list(ref('CrmObject')) } });
op('PUT', '/api/v1/crm/objects/{object}/fields/{field}', {
	tag: 'crm', auth: 'crm', summary: 'Add a custom field',
	body: obj(['label', 'type'], { label: str(), type: str({ enum: ['text', 'number', 'date', 'ref'] }) }), bodyRequired: true,
	ok: { 200: ref('CrmField'), 201: ref('CrmField') }, errors: [409],
});
op('GET', '/api/v1/crm/objects/{object}/records', {
	tag: 'crm', auth: 'crm', summary: 'Records, filtered by `field.NAME=value`, paged by id',
	query: { limit: int({ minimum: 1 }), after: int({ minimum: 0 }) }, ok: { 200: paged(ref('CrmRecord')) },
});
op('PUT', '/api/v1/crm/objects/{object}/records/{ext}', {
	tag: 'crm', auth: 'crm', summary: 'Upsert a record by external id (idempotent)', body: ref('CrmRecordInput'), bodyRequired: true,
	ok: { 200: ref('CrmRecord'), 201: ref('CrmRecord') },
});
op('GET', '/api/v1/crm/objects/{object}/records/{ext}', { tag: 'crm', auth: 'crm', summary: 'One record by external id', ok: { 200: ref('CrmRecord') } });
op('DELETE', '/api/v1/crm/objects/{object}/records/{ext}', { tag: 'crm', auth: 'crm', summary: 'Delete a record by external id', ok: { 204: null } });
op('PUT', '/api/v1/crm/users/{external}', {
	tag: 'crm', auth: 'crm', summary: 'Upsert a user by external id',
	description: 'A key with scope `crm` but not `admin` may create agents and change agents\' names, departments and external ids; anything more is 403 `forbidden` with `field`.',
	body: ref('CrmUserInput'), bodyRequired: true, ok: { 200: ref('User'), 201: ref('User') },
});
op('PUT', '/api/v1/crm/departments/{external}', {
	tag: 'crm', auth: 'crm', summary: 'Upsert a department by external id', body: ref('CrmDepartmentInput'), bodyRequired: true,
	ok: { 200: ref('Department'), 201: ref('Department') },
});
op('GET', '/api/v1/crm/visitors/{id}/export', { tag: 'privacy', auth: 'crm_admin', summary: 'Everything kept about one visitor', ok: { 200: ref('Export') } });
op('DELETE', '/api/v1/crm/visitors/{id}', {
	tag: 'privacy', auth: 'crm_admin', summary: 'Erase one visitor (audited)',
	description: 'Message texts, attachment bytes, page views, leave-messages, rating comments and identity fields go; anonymised conversation shells stay. Emits `visitor.erased`.',
	ok: { 204: null },
});

// --- Widget -----------------------------------------------------------------
op('GET', '/api/v1/widget/channels/{key}', { tag: 'widget', auth: 'none', summary: 'A channel as the widget shows it', ok: { 200: ref('WidgetChannel') } });
op('POST', '/api/v1/widget/channels/{key}/visitors', {
	tag: 'widget', auth: 'none', summary: 'Register or resume a visitor',
	description: 'An unknown `visitor_token` makes a new visitor (201); a token of a visitor identified as someone else makes a new visitor too. Bad `custom_params` is 400 `identity_invalid`.',
	body: ref('VisitorRegistration'), ok: { 200: ref('Visitor'), 201: ref('Visitor') }, errors: [403, 429],
});
op('GET', '/api/v1/widget/visitor', {
	tag: 'widget', auth: 'visitor', summary: 'The calling visitor',
	ok: { 200: obj(['visitor_id', 'identified', 'roles'], { visitor_id: id, identified: bool, name: nullable(str()), roles: arr(str()), email: str({ format: 'email' }) }) },
});
op('POST', '/api/v1/widget/conversations', {
	tag: 'widget', auth: 'visitor', summary: 'Start a conversation', body: ref('ConversationStart'), bodyRequired: true,
	ok: { 201: ref('Conversation') }, errors: [409],
});
op('GET', '/api/v1/widget/conversations', { tag: 'widget', auth: 'visitor', summary: 'The visitor\'s conversations', ok: { 200: list(ref('Conversation')) } });
op('GET', '/api/v1/widget/conversations/{id}', { tag: 'widget', auth: 'visitor', summary: 'One of the visitor\'s conversations', ok: { 200: ref('Conversation') } });
op('GET', '/api/v1/widget/conversations/{id}/events', { tag: 'widget', auth: 'visitor', summary: 'A conversation\'s events (long poll)', query: since, ok: { 200: ref('Events') } });
op('POST', '/api/v1/widget/conversations/{id}/messages', {
	tag: 'widget', auth: 'visitor_token', summary: 'Send a message (text or a quick-button card)', body: ref('MessageInput'), bodyRequired: true,
	ok: { 201: ref('Message') }, errors: [409, 429],
});
op('POST', '/api/v1/widget/conversations/{id}/attachments', { tag: 'widget', auth: 'visitor', summary: 'Send a file or image', body: 'multipart', ok: { 201: ref('Message') }, errors: [409] });
op('POST', '/api/v1/widget/conversations/{id}/read', {
	tag: 'widget', auth: 'visitor', summary: 'Mark read up to a seq (never moves back)', body: obj(['seq'], { seq: int({ minimum: 0 }) }), bodyRequired: true, ok: { 200: ref('Conversation') },
});
op('POST', '/api/v1/widget/conversations/{id}/close', { tag: 'widget', auth: 'visitor', summary: 'Close the conversation', body: 'empty', ok: { 200: ref('Conversation') }, errors: [409] });
op('POST', '/api/v1/widget/conversations/{id}/typing', { tag: 'widget', auth: 'visitor', summary: 'The visitor is typing', body: obj([], { typing: bool }), ok: { 200: ref('Typing') } });
op('POST', '/api/v1/widget/conversations/{id}/rating', {
	tag: 'widget', auth: 'visitor', summary: 'Rate a closed conversation (once)', body: ref('Rating'), bodyRequired: true, ok: { 201: ref('RatingView') }, errors: [409],
});
op('POST', '/api/v1/widget/conversations/{id}/transcript-email', {
	tag: 'widget', auth: 'visitor', summary: 'Mail the closed conversation\'s transcript to the visitor',
	description: 'Queues a mail of the transcript (HTML and text, in the widget\'s language, without erased messages), sent by kefu-webhookd. Only the conversation\'s own visitor (another\'s is 404), only once it is closed (409), at most 3 per conversation (429). A malformed address is 400 `invalid_field` `email`.',
	body: obj(['email'], { email: str({ format: 'email', maxLength: 254 }) }), bodyRequired: true,
	ok: { 202: obj(['queued', 'email'], { queued: bool, email: str() }) }, errors: [409, 429],
});
op('GET', '/api/v1/widget/conversations/{id}/rating', { tag: 'widget', auth: 'visitor', summary: 'The conversation\'s rating (404 before one)', ok: { 200: ref('RatingView') } });
op('GET', '/api/v1/widget/quick-buttons', { tag: 'widget', auth: 'visitor', summary: 'Quick buttons (none for guests)', query: { channel_key: str() }, ok: { 200: list(open) } });
op('GET', '/api/v1/widget/quick-buttons/{id}/records', {
	tag: 'widget', auth: 'visitor', summary: 'Records the button\'s filter allows this visitor',
	ok: { 200: list(obj(['id', 'title', 'lines'], { id, title: str(), lines: arr(str()) })) },
});
op('POST', '/api/v1/widget/channels/{key}/leave-messages', {
	tag: 'widget', auth: 'visitor', summary: 'Leave a message', body: obj(['fields'], { fields: { type: 'object' } }), bodyRequired: true, ok: { 201: open },
});

// --- Visitor insight (docs/visitor-insight.md) ---------------------------------
op('POST', '/api/v1/widget/visitors/me/pageviews', {
	tag: 'widget', auth: 'visitor_token', summary: 'Report a page view (a tracking channel only)',
	description: 'Browser, OS and device come from the User-Agent, the address from the request. A channel without `tracking` is 403 `forbidden`; more than 60 a minute per visitor is 429.',
	body: obj(['url'], { url: str({ minLength: 1, maxLength: 2000 }), title: str({ maxLength: 500 }), referrer: str({ maxLength: 2000 }) }), bodyRequired: true,
	ok: { 201: obj(['id'], { id }) }, errors: [403, 429],
});
op('POST', '/api/v1/widget/visitors/me/leave', {
	tag: 'widget', auth: 'visitor', summary: 'The visitor leaves the site (pagehide): off the live list in 5 s unless a page follows',
	body: 'empty', ok: { 204: null },
});
op('GET', '/api/v1/widget/visitors/me/events', {
	tag: 'widget', auth: 'visitor_token', summary: 'The visitor\'s own stream (long poll): invitations',
	description: 'Holding it keeps the visitor live. A channel without `tracking` is 403 `forbidden`. A poll that waits has its token resolved with the other polls of the server\'s next tick (up to 50 ms later), so a bad token or origin may answer that much later.',
	query: since, ok: { 200: ref('Events') }, errors: [403],
});
op('POST', '/api/v1/widget/invitations/{id}/dismiss', {
	tag: 'widget', auth: 'visitor', summary: 'Dismiss an invitation (an answered one keeps its status)', body: 'empty',
	ok: { 200: obj(['id', 'status'], { id, status: str({ enum: ['sent', 'dismissed', 'accepted'] }) }) },
});
op('GET', '/api/v1/agent/visitors/live', {
	tag: 'agent', auth: 'staff', summary: 'Live visitors of the channels the caller serves (an admin: all), most recent first',
	query: { limit: int({ minimum: 1, maximum: 200, description: 'page size, 50 by default' }), cursor: str({ description: 'the `next_cursor` of the page before' }) },
	ok: { 200: obj(['items', 'next_cursor'], { items: arr(ref('LiveVisitor')), next_cursor: nullable(str()) }) },
});
op('GET', '/api/v1/agent/visitors/{id}', {
	tag: 'agent', auth: 'staff', summary: 'A visitor: the live item, page views (newest first, 50) and conversations',
	ok: { 200: { allOf: [ref('LiveVisitor')], type: 'object', required: ['pageviews', 'conversations'], properties: {
		pageviews: arr(ref('Pageview')), conversations: arr(obj(['id', 'status', 'created_at'], { id, status: str(), created_at: time })),
	} } },
});
op('POST', '/api/v1/agent/visitors/{id}/invite', {
	tag: 'agent', auth: 'staff', summary: 'Invite a live visitor to chat',
	description: 'The visitor\'s stream gets `{"type":"invitation","invitation":{"id","text","agent"}}`. 409 `capacity` when the agent is at the channel rule\'s maximum; 409 `conflict` when the visitor is not live or already in a conversation.',
	body: obj(['text'], { text: str({ minLength: 1, maxLength: 2000 }) }), bodyRequired: true,
	ok: { 201: obj(['id', 'status'], { id, status: { const: 'sent' } }) }, errors: [409],
});
crud('/api/v1/admin/channels/{channel_id}/triggers', 'admin', 'proactive trigger', 'Trigger', 'TriggerInput');

// --- Agent ------------------------------------------------------------------
op('GET', '/api/v1/agent/me', { tag: 'agent', auth: 'staff', summary: 'The signed-in agent', ok: { 200: ref('Me') } });
op('PUT', '/api/v1/agent/lang', { tag: 'agent', auth: 'staff', summary: 'The agent\'s interface language', body: obj(['lang'], { lang: str({ enum: ['zh-CN', 'en'] }) }), bodyRequired: true, ok: { 200: ref('User') } });
op('GET', '/api/v1/agent/status', { tag: 'agent', auth: 'staff', summary: 'The agent\'s status', ok: { 200: ref('Status') } });
op('PUT', '/api/v1/agent/status', { tag: 'agent', auth: 'staff', summary: 'Set the agent\'s status (only `online` agents get new conversations)', body: ref('Status'), bodyRequired: true, ok: { 200: ref('Status') } });
op('POST', '/api/v1/agent/presence', {
	tag: 'agent', auth: 'staff', summary: 'Heartbeat of an open workbench (`opening`: the first of a page, which makes an offline agent online)',
	body: obj([], { active: bool, opening: bool }),
	ok: { 200: { allOf: [ref('Presence')], type: 'object', required: ['status'], properties: { status: str({ enum: ['online', 'away', 'offline'] }), alert_sound: bool } } },
});
op('GET', '/api/v1/agent/preferences', { tag: 'agent', auth: 'staff', summary: 'The agent\'s alert preferences', ok: { 200: ref('AgentPrefs') } });
op('PUT', '/api/v1/agent/preferences', {
	tag: 'agent', auth: 'staff', summary: 'Set the agent\'s alert preferences (the repeating sound for unanswered conversations)',
	body: obj([], { alert_sound: bool }), bodyRequired: true, ok: { 200: ref('AgentPrefs') },
});
op('GET', '/api/v1/agent/conversations', { tag: 'agent', auth: 'staff', summary: 'The agent\'s live conversations by conversation group', ok: { 200: ref('AgentGroups') } });
op('GET', '/api/v1/agent/events', { tag: 'agent', auth: 'staff', summary: 'The agent\'s stream (long poll); `next` is an opaque cursor', query: since, ok: { 200: ref('Events') } });
op('GET', '/api/v1/agent/queue', { tag: 'agent', auth: 'staff', summary: 'Queued conversations of the agent\'s groups, in queue order', ok: { 200: list(open) } });
op('GET', '/api/v1/agent/conversations/{id}', { tag: 'agent', auth: 'staff', summary: 'One conversation, with its visitor and read positions', ok: { 200: ref('AgentConversationDetail') } });
op('GET', '/api/v1/agent/conversations/{id}/events', { tag: 'agent', auth: 'staff', summary: 'A conversation\'s events (long poll)', query: since, ok: { 200: ref('Events') } });
op('POST', '/api/v1/agent/conversations/{id}/messages', { tag: 'agent', auth: 'staff', summary: 'Send a message', body: ref('MessageInput'), bodyRequired: true, ok: { 201: ref('Message') }, errors: [409] });
op('POST', '/api/v1/agent/conversations/{id}/attachments', { tag: 'agent', auth: 'staff', summary: 'Send a file or image', body: 'multipart', ok: { 201: ref('Message') }, errors: [409] });
op('POST', '/api/v1/agent/conversations/{id}/read', { tag: 'agent', auth: 'staff', summary: 'Mark read up to a seq', body: obj(['seq'], { seq: int({ minimum: 0 }) }), bodyRequired: true, ok: { 200: ref('Conversation') } });
op('POST', '/api/v1/agent/conversations/{id}/close', { tag: 'agent', auth: 'staff', summary: 'Close the conversation', body: 'empty', ok: { 200: ref('Conversation') }, errors: [409] });
op('POST', '/api/v1/agent/conversations/{id}/take', { tag: 'agent', auth: 'staff', summary: 'Take a queued conversation (capacity applies)', body: 'empty', ok: { 200: ref('Conversation') }, errors: [409] });
op('POST', '/api/v1/agent/conversations/{id}/transfer', {
	tag: 'agent', auth: 'staff', summary: 'Transfer to an agent or a group',
	body: { oneOf: [obj(['user_id'], { user_id: id, note: str() }), obj(['group_id'], { group_id: id, note: str() })] }, bodyRequired: true, ok: { 200: ref('Conversation') }, errors: [409],
});
op('POST', '/api/v1/agent/conversations/{id}/typing', { tag: 'agent', auth: 'staff', summary: 'The agent is typing', body: obj([], { typing: bool }), ok: { 200: ref('Typing') } });
op('POST', '/api/v1/agent/conversations/{id}/handover', { tag: 'agent', auth: 'staff', summary: 'Hand the conversation over with a note', body: open, bodyRequired: true, ok: { 200: ref('Conversation') }, errors: [409] });
op('GET', '/api/v1/agent/conversations/{id}/notes', { tag: 'agent', auth: 'staff', summary: 'Internal notes and handover notes, oldest first', ok: { 200: list(ref('Note')) } });
op('POST', '/api/v1/agent/conversations/{id}/notes', {
	tag: 'agent', auth: 'staff', summary: 'Add an internal note (staff only)',
	description: 'On any conversation the caller may read, closed ones too. Stored apart from the conversation\'s event stream: the visitor never sees it. `text`: 1..2000 characters, not only white space.',
	body: obj(['text'], { text: str({ minLength: 1, maxLength: 2000 }) }), bodyRequired: true, ok: { 201: ref('Note') },
});
op('GET', '/api/v1/agent/tags', { tag: 'agent', auth: 'staff', summary: 'The tenant\'s tags, by name, with their conversation counts', ok: { 200: list(ref('Tag')) } });
op('GET', '/api/v1/agent/conversations/{id}/tags', { tag: 'agent', auth: 'staff', summary: 'The conversation\'s tags', ok: { 200: list(ref('Tag')) } });
op('POST', '/api/v1/agent/conversations/{id}/tags', {
	tag: 'agent', auth: 'staff', summary: 'Tag the conversation',
	description: '`{"tag_id"}` of the tenant\'s tags, or `{"name"}`: a name the tenant has no tag for yet adds it to the tags. 201 when added, 200 when the conversation already had it.',
	body: { oneOf: [obj(['name'], { name: str({ minLength: 1, maxLength: 64 }) }), obj(['tag_id'], { tag_id: id })] }, bodyRequired: true,
	ok: { 200: ref('Tag'), 201: ref('Tag') },
});
op('DELETE', '/api/v1/agent/conversations/{id}/tags/{tag_id}', { tag: 'agent', auth: 'staff', summary: 'Untag the conversation (404 when it does not carry the tag)', ok: { 204: null } });
op('GET', '/api/v1/agent/history', {
	tag: 'agent', auth: 'staff', summary: 'The caller\'s own conversations, searchable (the admins\' history filters, always for the caller)',
	query: { q: str(), phone: str(), status: str(), tag_id: int(), from: str({ format: 'date' }), to: str({ format: 'date' }), after: int(), limit: int() },
	ok: { 200: paged(ref('AdminConversation')) },
});
op('GET', '/api/v1/agent/conversations/{id}/sidebar', { tag: 'agent', auth: 'staff', summary: 'The CRM side panel of a conversation', ok: { 200: ref('SidebarView') } });
op('POST', '/api/v1/agent/conversations/{id}/link', { tag: 'agent', auth: 'staff', summary: 'Link the visitor to a CRM contact', body: open, bodyRequired: true, ok: { 200: open } });
op('GET', '/api/v1/agent/conversations/{id}/rating', { tag: 'agent', auth: 'staff', summary: 'The conversation\'s rating (404 before one)', ok: { 200: ref('RatingView') } });
op('GET', '/api/v1/agent/conversations/{id}/transcript.txt', { tag: 'agent', auth: 'staff', summary: 'Transcript as text', ok: { 200: { mime: 'text/plain' } } });
op('GET', '/api/v1/agent/conversations/{id}/transcript.html', { tag: 'agent', auth: 'staff', summary: 'Transcript as HTML', ok: { 200: { mime: 'text/html' } } });
op('GET', '/api/v1/agent/crm/contacts', { tag: 'agent', auth: 'staff', summary: 'Search CRM contacts to link', query: { q: str() }, ok: { 200: list(open) } });
op('GET', '/api/v1/agent/visitors/{id}/conversations', { tag: 'agent', auth: 'staff', summary: 'A visitor\'s earlier conversations', ok: { 200: list(open) } });
op('GET', '/api/v1/agent/directory', { tag: 'agent', auth: 'staff', summary: 'Agents (with status and load) and groups to transfer to', query: { conversation_id: id }, ok: { 200: ref('Directory') } });
op('GET', '/api/v1/agent/leave-messages', { tag: 'agent', auth: 'staff', summary: 'Left messages', query: { status: str({ enum: ['open', 'handled'] }) }, ok: { 200: list(ref('LeaveMessage')) } });
op('POST', '/api/v1/agent/leave-messages/{id}/handle', { tag: 'agent', auth: 'staff', summary: 'Mark a left message handled', body: 'empty', ok: { 200: ref('LeaveMessage') } });
crud('/api/v1/agent/canned-replies', 'agent', 'personal canned reply', 'CannedReply', 'CannedReplyInput', { auth: 'staff' });
op('GET', '/api/v1/agent/strings/workbench2', {
	tag: 'agent', auth: 'staff', summary: 'The workbench\'s interface strings in the agent\'s language', ok: { 200: { type: 'object', additionalProperties: str() } },
});
op('GET', '/api/v1/attachments/{id}', {
	tag: 'widget', auth: 'none', summary: 'An attachment\'s bytes',
	description: 'Served to the visitor of its conversation (`X-Visitor-Token` or the signed URL) and staff who may read it; 404 to anybody else.',
	ok: { 200: { mime: '*/*', schema: str({ contentMediaType: 'application/octet-stream' }) } },
});

// --- Webhooks (docs/webhooks.md) -----------------------------------------------
const webhookData = {
	'conversation.created': ['A visitor started a conversation (sent before routing: `status` is `queued`).', obj(['conversation'], { conversation: ref('WebhookConversation') })],
	'conversation.assigned': ['An agent got the conversation: routing, a take or a transfer.', obj(['conversation'], { conversation: ref('WebhookConversation') })],
	'conversation.closed': ['The conversation ended.', obj(['conversation'], { conversation: ref('WebhookConversation') })],
	'leave_message.created': ['A visitor left a message.', obj(['leave_message'], {
		leave_message: obj(['id', 'channel_id', 'visitor_id', 'fields'], { id, channel_id: id, visitor_id: nullable(id), fields: open }),
	})],
	'visitor.identified': ['A visitor was identified by the site.', obj(['visitor'], {
		visitor: obj(['id', 'channel_id', 'name', 'record_id', 'contact_id', 'account_id'], {
			id, channel_id: id, name: nullable(str()), record_id: nullable(id), contact_id: nullable(id), account_id: nullable(id),
		}),
	})],
	'visitor.erased': ['A person was erased: erase your copies of the record and these visitors.', obj(['visitor'], {
		visitor: obj(['record_id', 'visitor_ids'], { record_id: id, visitor_ids: arr(id) }),
	})],
};
const webhooks = {};
for (const [event, [summary, data]] of Object.entries(webhookData))
	webhooks[event] = {
		post: {
			summary, operationId: `webhook${event.replace(/(^|[._])(\w)/g, (_, __, c) => c.toUpperCase())}`,
			description: 'Sent by kefu-webhookd to each enabled webhook subscribed to the event. Verify `X-Kefu-Signature` over the raw body and drop a repeated `X-Kefu-Delivery` (docs/webhooks.md).',
			parameters: [
				{ name: 'X-Kefu-Event', in: 'header', required: true, schema: { const: event } },
				{ name: 'X-Kefu-Delivery', in: 'header', required: true, description: 'the same on every attempt of one delivery', schema: str({ pattern: '^[0-9]+$' }) },
				{ name: 'X-Kefu-Attempt', in: 'header', required: true, schema: str({ pattern: '^[1-9][0-9]*$' }) },
				{ name: 'X-Kefu-Signature', in: 'header', required: true, description: '"sha256=" and the hex HMAC-SHA256 of the raw body under the webhook\'s secret', schema: str({ pattern: '^sha256=[0-9a-f]{64}$' }) },
			],
			requestBody: {
				required: true,
				content: { 'application/json': { schema: obj(['event', 'tenant_id', 'occurred_at', 'data'], { event: { const: event }, tenant_id: id, occurred_at: time, data }) } },
			},
			responses: { '2XX': { description: 'received; anything else (or no answer within 10 s) is retried with backoff' } },
		},
	};

export function document() {
	const responses = { Error: { description: 'an error', content: { 'application/json': { schema: ref('Error') } } } };
	for (const [s, d] of Object.entries(ERRORS))
		responses[`E${s}`] = { description: d, content: { 'application/json': { schema: ref('Error') } } };
	const sorted = {};
	for (const p of Object.keys(paths).sort())
		sorted[p] = paths[p];
	return {
		openapi: '3.1.0',
		info: {
			title: 'kefu REST API',
			version: '1',
			description: 'The REST API of kefu, version 1. Bodies are JSON (UTF-8) except uploads and downloads; ids are 64-bit numbers; times RFC 3339 UTC. Errors are `{"error": {"code", "message", "field"?, "fields"?}}`. Fields may be added to any object; none is renamed or dropped. Webhooks: see docs/webhooks.md.',
			license: { name: 'see the source distribution' },
		},
		jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
		servers: [{ url: '/', description: 'the kefu origin (public_url)' }],
		tags: [
			{ name: 'auth', description: 'Sessions of admins and agents' },
			{ name: 'admin', description: 'Configuration: scope `admin` or an admin\'s session' },
			{ name: 'crm', description: 'CRM objects and the organisation chart: scope `crm`' },
			{ name: 'privacy', description: 'Export, erase, retention' },
			{ name: 'reports', description: 'Figures defined in docs/reports.md: scope `admin` or an admin\'s session' },
			{ name: 'widget', description: 'What the widget calls (public, or with `X-Visitor-Token`)' },
			{ name: 'agent', description: 'The workbench: an agent\'s or admin\'s session' },
			{ name: 'operations', description: 'Health, metrics, this document' },
		],
		paths: sorted,
		webhooks,
		components: {
			schemas,
			responses,
			securitySchemes: {
				session: { type: 'apiKey', in: 'cookie', name: 'kefu_session', description: 'From `POST /api/v1/auth/login`; state-changing calls also send `X-CSRF-Token`.' },
				apiKey: { type: 'http', scheme: 'bearer', description: 'An API key made in the console or by `kefuctl api-key create`, with scopes `admin` and/or `crm`.' },
				visitorToken: { type: 'apiKey', in: 'header', name: 'X-Visitor-Token', description: 'From `POST /api/v1/widget/channels/{key}/visitors`.' },
			},
		},
	};
}
