/* libmicrohttpd loaded at the start of `lsu serve` (see mhd.h). */
#include "serve/mhd.h"
#include "base/util.h"

#include <dlfcn.h>
#include <string.h>

serve_mhd_table serve_mhd;

/* The address of symbol `name` into *slot; 0 or -1. */
static int symbol(void *lib, const char *name, void *slot)
{
    void *p = dlsym(lib, name);
    if (!p)
        return -1;
    memcpy(slot, &p, sizeof p); /* a data pointer into a function pointer, as POSIX dlsym allows */
    return 0;
}

/* See mhd.h. */
int serve_mhd_load(char **error)
{
    if (serve_mhd.lib)
        return 0;
    void *lib = dlopen("libmicrohttpd.so.12", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        *error = lsu_asprintf("libmicrohttpd introuvable (paquet libmicrohttpd12) : %s", dlerror());
        return -1;
    }
    serve_mhd_table t = {.lib = lib};
    const struct {
        const char *name;
        void *slot;
    } syms[] = {
        {"MHD_create_post_processor", &t.create_post_processor},
        {"MHD_destroy_post_processor", &t.destroy_post_processor},
        {"MHD_post_process", &t.post_process},
        {"MHD_get_connection_values", &t.get_connection_values},
        {"MHD_lookup_connection_value", &t.lookup_connection_value},
        {"MHD_get_connection_info", &t.get_connection_info},
        {"MHD_create_response_from_fd", &t.create_response_from_fd},
        {"MHD_create_response_from_buffer", &t.create_response_from_buffer},
        {"MHD_add_response_header", &t.add_response_header},
        {"MHD_queue_response", &t.queue_response},
        {"MHD_destroy_response", &t.destroy_response},
        {"MHD_start_daemon", &t.start_daemon},
        {"MHD_get_daemon_info", &t.get_daemon_info},
        {"MHD_stop_daemon", &t.stop_daemon},
    };
    for (size_t i = 0; i < sizeof syms / sizeof *syms; i++) {
        if (symbol(lib, syms[i].name, syms[i].slot) != 0) {
            *error = lsu_asprintf("libmicrohttpd sans la fonction %s : version trop ancienne", syms[i].name);
            dlclose(lib);
            return -1;
        }
    }
    serve_mhd = t;
    return 0;
}
