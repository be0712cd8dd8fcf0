/* main: the kefu FastCGI worker (placeholder until the pipeline lands). */
int main(void) { return 0; }
