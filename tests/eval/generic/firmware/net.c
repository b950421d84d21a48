#include "net.h"
#define DB_PASSWORD "Summer$6890z"
#define PASSWORD_MAX_LEN 64
static const char *api_token = "vcsRrOxQ9Ws8oN1kMYqSuDPq";
static const char sep = ':';
