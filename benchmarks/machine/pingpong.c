#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdatomic.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
static _Atomic long flag __attribute__((aligned(64)));
static void pin(int c){cpu_set_t s;CPU_ZERO(&s);CPU_SET(c,&s);pthread_setaffinity_np(pthread_self(),sizeof s,&s);}
#define N 1000000
static void* pong(void*p){pin(1);for(long i=0;i<N;i++){while(atomic_load(&flag)!=2*i+1);atomic_store(&flag,2*i+2);}return 0;}
// bandwidth: core1 writes buffer, core0 reads it
static int *buf; static _Atomic int phase;
static void* writer(void*p){pin(1); for(int r=0;r<200;r++){ while(atomic_load(&phase)!=2*r); for(int i=0;i<100000;i++) buf[i]+=1; atomic_store(&phase,2*r+1);} return 0;}
int main(){pin(0);pthread_t t;pthread_create(&t,0,pong,0);double t0=now();for(long i=0;i<N;i++){atomic_store(&flag,2*i+1);while(atomic_load(&flag)!=2*i+2);}double t1=now();pthread_join(t,0);
printf("round trip %.1f ns\n",(t1-t0)/N*1e9);
buf=aligned_alloc(64,400000); memset(buf,0,400000);
pthread_create(&t,0,writer,0); double rd=0; long s=0;
for(int r=0;r<200;r++){ while(atomic_load(&phase)!=2*r+1); double a=now(); for(int i=0;i<100000;i++) s+=buf[i]; for(int i=0;i<100000;i++) buf[i]+=1; rd+=now()-a; atomic_store(&phase,2*r+2);} pthread_join(t,0);
printf("read+write 400KB last modified by other core: %.1f us (%ld)\n", rd/200*1e6, s);
double a=now(); for(int r=0;r<200;r++){ for(int i=0;i<100000;i++) s+=buf[i]; for(int i=0;i<100000;i++) buf[i]+=1;} printf("same, local: %.1f us %ld\n",(now()-a)/200*1e6,s);}
