/* conv-actions: the conversation actions the widget and the workbench share, done as a given actor. */
#ifndef KEFU_CONV_ACTIONS_H
#define KEFU_CONV_ACTIONS_H

#include "core/err.h"
#include "domain/conversations.h"
#include "http/request.h"

/* POST .../messages with a text body {"text"} (the caller has read "kind"). */
kefu_err conv_action_text(struct kefu_req *r, const struct conv_actor *who);
/* POST .../attachments: the multipart field "file". */
kefu_err conv_action_attachment(struct kefu_req *r, const struct conv_actor *who);
/* POST .../read {"seq"}: 200 with the conversation. */
kefu_err conv_action_read(struct kefu_req *r, const struct conv_actor *who);
/* POST .../close: 200 with the conversation. */
kefu_err conv_action_close(struct kefu_req *r, const struct conv_actor *who);

#endif
