/* SPDX-License-Identifier: MIT */
/*
 * env.h: the contract between the efsap tool and libefsap: environment
 * variable names and exit statuses, defined once.
 */
#ifndef EFSAP_ENV_H
#define EFSAP_ENV_H

#define EFSAP_ENV_CONFIG	"EFSAP_CONFIG"		/* configuration file */
#define EFSAP_ENV_COMPILED	"EFSAP_CONFIG_COMPILED"	/* its compiled form (cconf.h), written
						   by efsap run: read instead */
#define EFSAP_ENV_LOG		"EFSAP_LOG"		/* deny | all */
#define EFSAP_ENV_LOG_FILE	"EFSAP_LOG_FILE"	/* append log lines here */
#define EFSAP_ENV_DISABLE	"EFSAP_DISABLE"		/* 1: pass everything through */
#define EFSAP_ENV_CRED		"EFSAP_STATE_CRED"	/* internal: caller identity across exec */
#define EFSAP_ENV_CAPS		"EFSAP_STATE_CAPS"	/* internal: capabilities across exec */
#define EFSAP_ENV_CWD		"EFSAP_STATE_CWD"	/* internal: program-view cwd across exec */
#define EFSAP_ENV_GROUPS	"EFSAP_STATE_GROUPS"	/* internal: all groups as ranges, when
							   more than EFS_GROUPS_MAX */
#define EFSAP_ENV_FDS		"EFSAP_STATE_FDS"	/* internal: descriptors under mounts kept
						   across exec, "FD:MOUNT[:p],..." */
#define EFSAP_ENV_LDPATH	"EFSAP_STATE_LDPATH"	/* internal: the program's LD_LIBRARY_PATH
						   when a child's names backing paths */
#define EFSAP_ENV_PRELOAD	"EFSAP_STATE_PRELOAD"	/* internal: the same for LD_PRELOAD */
#define EFSAP_ENV_DEFAULT_DIR	"EFSAP_STATE_DEFAULT"	/* internal: the built-in default was chosen
						   (and announced) in this directory */

#define EFS_CONF_LIBNAME	"libefsap-conf.so"	/* the parser, beside libefsap.so */
#define EFS_CONF_ENTRY		"efsap_conf_load"	/* its entry (conf_dso.c) */

#define EFSAP_DEFAULT_CONFIG	"efsap.conf"		/* looked up in the current directory */
#define EFSAP_DEFAULT_BACKING	"efs-data"		/* built-in default: backing directory */
#define EFSAP_DEFAULT_MOUNT	"/mnt/efs"		/* built-in default: container path */

#define EFSAP_EXIT_CONFIG	78	/* EX_CONFIG: invalid configuration */
#define EFSAP_EXIT_MOUNT	32	/* mount.nfs4: mount failure */

#endif
