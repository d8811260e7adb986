/* Brock-Mirman (1972): log utility, Cobb-Douglas, full depreciation; closed form
   k = alpha*beta*A*exp(z)*k(-1)^alpha, c = (1-alpha*beta)*A*exp(z)*k(-1)^alpha. */
var c k z;
varexo eps_z;
parameters alpha beta A rho;
alpha = 0.36; beta = 0.96; A = 1; rho = 0.9;

model;
  1/c = beta*alpha*A*exp(z(+1))*k^(alpha - 1)/c(+1);
  c + k = A*exp(z)*k(-1)^alpha;
  z = rho*z(-1) + eps_z;
end;

steady_state_model;
  k = (alpha*beta*A)^(1/(1 - alpha));
  c = (1 - alpha*beta)*A*k^alpha;
  z = 0;
end;

shocks;
  var eps_z = 0.01^2;
end;

steady;
check;
stoch_simul(order=1, irf=30, nograph);
