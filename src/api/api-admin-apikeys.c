/* api-admin-apikeys: /api/v1/admin/api-keys: create (the key is shown once), list, rename, revoke, as a resource
 * descriptor (api/resource.h). */
#include "api/resource.h"
#include "domain/org.h"

const struct resource res_apikeys = RESOURCE("/api/v1/admin/api-keys", &org_key_ops);
