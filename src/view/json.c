/* json: the small JSON value helpers every view shares (times, ids). */
#include "view/json.h"

#include <stdio.h>
#include <string.h>

json_object *json_time(const char *dt)
{
	if (dt == NULL)
		return NULL;
	char buf[32];
	/* DATETIME text is "YYYY-MM-DD HH:MM:SS[.fff]"; the sessions run in UTC. */
	if (strlen(dt) < 19)
		return json_object_new_string(dt);
	snprintf(buf, sizeof buf, "%.10sT%.8sZ", dt, dt + 11);
	return json_object_new_string(buf);
}

json_object *json_id(int64_t id)
{
	return id == 0 ? NULL : json_object_new_int64(id);
}
