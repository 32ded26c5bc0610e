/* Termination signals (INT, TERM, HUP) as a descriptor: they are blocked and
 * become readable on the returned signalfd, so that poll loops see them
 * between two steps and always clean up (close captures, remove
 * namespaces) instead of dying half-way.  Returns -1 on failure. */
#ifndef RP_LIB_SIGFD_H
#define RP_LIB_SIGFD_H

int sigfd_open(void);

#endif
