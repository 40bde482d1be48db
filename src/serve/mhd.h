/* libmicrohttpd, loaded when `lsu serve` starts (dlopen) rather than
 * linked: it brings GnuTLS and half a dozen libraries, 7 MB of address
 * space mapped into every lsu process otherwise, which the other
 * commands' --max-memory bound (a batch worker's RLIMIT_AS) would pay
 * for.  http.c includes this header instead of <microhttpd.h>: the
 * functions it calls go through the table serve_mhd_load fills.  Private
 * to src/serve/. */
#ifndef LSU_SERVE_MHD_H
#define LSU_SERVE_MHD_H

#include <microhttpd.h>

typedef struct {
    void *lib;
    struct MHD_PostProcessor *(*create_post_processor)(struct MHD_Connection *, size_t, MHD_PostDataIterator, void *);
    enum MHD_Result (*destroy_post_processor)(struct MHD_PostProcessor *);
    enum MHD_Result (*post_process)(struct MHD_PostProcessor *, const char *, size_t);
    int (*get_connection_values)(struct MHD_Connection *, enum MHD_ValueKind, MHD_KeyValueIterator, void *);
    const char *(*lookup_connection_value)(struct MHD_Connection *, enum MHD_ValueKind, const char *);
    const union MHD_ConnectionInfo *(*get_connection_info)(struct MHD_Connection *, enum MHD_ConnectionInfoType, ...);
    struct MHD_Response *(*create_response_from_fd)(uint64_t, int);
    struct MHD_Response *(*create_response_from_buffer)(size_t, void *, enum MHD_ResponseMemoryMode);
    enum MHD_Result (*add_response_header)(struct MHD_Response *, const char *, const char *);
    enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int, struct MHD_Response *);
    void (*destroy_response)(struct MHD_Response *);
    struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t, MHD_AcceptPolicyCallback, void *,
                                       MHD_AccessHandlerCallback, void *, ...);
    const union MHD_DaemonInfo *(*get_daemon_info)(struct MHD_Daemon *, enum MHD_DaemonInfoType, ...);
    void (*stop_daemon)(struct MHD_Daemon *);
} serve_mhd_table;

extern serve_mhd_table serve_mhd;

/* Loads libmicrohttpd (once) and fills serve_mhd.  0, or -1 with *error
 * (owned) saying why in French. */
int serve_mhd_load(char **error);

#define MHD_create_post_processor (*serve_mhd.create_post_processor)
#define MHD_destroy_post_processor (*serve_mhd.destroy_post_processor)
#define MHD_post_process (*serve_mhd.post_process)
#define MHD_get_connection_values (*serve_mhd.get_connection_values)
#define MHD_lookup_connection_value (*serve_mhd.lookup_connection_value)
#define MHD_get_connection_info (*serve_mhd.get_connection_info)
#define MHD_create_response_from_fd (*serve_mhd.create_response_from_fd)
#define MHD_create_response_from_buffer (*serve_mhd.create_response_from_buffer)
#define MHD_add_response_header (*serve_mhd.add_response_header)
#define MHD_queue_response (*serve_mhd.queue_response)
#define MHD_destroy_response (*serve_mhd.destroy_response)
#define MHD_start_daemon (*serve_mhd.start_daemon)
#define MHD_get_daemon_info (*serve_mhd.get_daemon_info)
#define MHD_stop_daemon (*serve_mhd.stop_daemon)

#endif
