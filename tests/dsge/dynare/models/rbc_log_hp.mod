// Real business cycle model with labour: the model of rbc.yaml as a Dynare .mod file.
//   utility log(c) - chi*n^(1+eta)/(1+eta), output y = a*k(-1)^alpha*n^(1-alpha),
//   capital k = i + (1-delta)*k(-1), log TFP AR(1).
var y c i n k a;
varexo eps_a;
parameters alpha beta delta chi eta rho sigma_a;

alpha = 0.35;
beta = 0.99;
delta = 0.025;
chi = 2;
eta = 1;
rho = 0.9;
sigma_a = 0.01;

model;
  1/c = beta*(1/c(+1))*(alpha*y(+1)/k + 1 - delta);   // Euler equation
  chi*n^eta*c = (1 - alpha)*y/n;                        // labour supply
  y = a*k(-1)^alpha*n^(1 - alpha);                      // production
  k = i + (1 - delta)*k(-1);                            // capital accumulation
  y = c + i;                                            // resources
  log(a) = rho*log(a(-1)) + eps_a;                      // technology
end;

initval;
  y = 1.2; c = 0.9; i = 0.3; n = 0.5; k = 12; a = 1;
end;

shocks;
  var eps_a; stderr sigma_a;
end;

steady(tolf=1e-13);
check;
stoch_simul(order=1, irf=20, ar=5, loglinear, hp_filter=1600, nograph);
