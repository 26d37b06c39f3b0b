// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * carehubd.conf parser on arbitrary bytes: conf_load_buf() must return 0
 * or -EINVAL with a "FILE:LINE: " message, never crash or leak; a config
 * it accepts must dump, and the dump must parse again (the canonical form
 * is a config that means the same).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL, *again = NULL;
	char err[256], *out = NULL;
	size_t n = 0;
	FILE *f;
	int rc;

	rc = conf_load_buf("fuzz.conf", (const char *)data, size, &c, err, sizeof(err));
	if (rc) {
		if (rc != -EINVAL || c || strncmp(err, "fuzz.conf:", 10))
			abort();
		return 0;
	}
	f = open_memstream(&out, &n);
	if (!f)
		abort();
	conf_dump(c, f);
	fclose(f);
	if (conf_load_buf("dump", out, n, &again, err, sizeof(err)))
		abort();	/* a dump that does not parse: a bug */
	conf_free(again);
	free(out);
	conf_free(c);
	return 0;
}
