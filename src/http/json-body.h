/* json-body: the old name of core/json-doc.h, kept for the admin CRUD files until the CRUD descriptor change. */
#ifndef KEFU_HTTP_JSON_BODY_H
#define KEFU_HTTP_JSON_BODY_H

#include "core/json-doc.h"

#endif
