/* Frozen copy for tests/abi/old_caller_test.c: the version.h a vendor got with tollguard 0.1.0. */
#ifndef TOLLGUARD_VERSION_H_
#define TOLLGUARD_VERSION_H_
#define TG_VERSION_MAJOR 0
#define TG_VERSION_MINOR 1
#define TG_VERSION_PATCH 0
#define TG_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH */
#define TG_VERSION_NUMBER (TG_VERSION_MAJOR * 10000 + TG_VERSION_MINOR * 100 + TG_VERSION_PATCH)
#endif /* TOLLGUARD_VERSION_H_ */
