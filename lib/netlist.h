/* SPDX-License-Identifier: MIT */
/*
 * Lists of IPv4 and IPv6 addresses and prefixes, as written in sochid.conf
 * ("127.0.0.1, 10.0.0.0/8, ::1, 2001:db8::/32"), and the test of a peer's
 * address against them.  An IPv4 peer seen through an IPv6 socket
 * (::ffff:10.1.2.3) is matched as the IPv4 address it is.
 */
#ifndef SOCHI_NETLIST_H
#define SOCHI_NETLIST_H

#include <sys/socket.h>

#include <stddef.h>

#include "sbuf.h"

struct net_prefix {
	int		 family;	/* AF_INET or AF_INET6 */
	unsigned char	 addr[16];	/* the address, host bits cleared */
	int		 bits;		/* prefix length */
	char		*tag;		/* a word after it ("10.0.0.0/8 UTC"), or NULL */
};

struct netlist {
	struct net_prefix *v;		/* in the order written */
	size_t		 n;		/* how many */
};

/*
 * Parses a comma-separated list; with tagged, each entry is "PREFIX WORD".
 * Returns 0, or -1 with the entry at fault in err.
 */
int	netlist_parse(const char *, int tagged, struct netlist *, char *,
	    size_t);
/* The first entry a peer's address falls in, or NULL. */
const struct net_prefix *netlist_match(const struct netlist *,
	    const struct sockaddr *);
/* The list as it would be written, addresses in their canonical form. */
int	netlist_print(const struct netlist *, struct sbuf *);
void	netlist_free(struct netlist *);

#endif
